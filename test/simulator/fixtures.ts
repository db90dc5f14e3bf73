/** Reads the reference field lists kept in test/fixtures/simulator (copies of ISM's output types). */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ReferenceField {
  key: string;
  type: 'string' | 'integer' | 'boolean';
}

function readTsv(name: string): ReferenceField[] {
  const text = readFileSync(resolve('test/fixtures/simulator', name), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#') && !line.startsWith('key\t'))
    .map((line) => {
      const [key, type] = line.split('\t');
      return { key: key as string, type: type as ReferenceField['type'] };
    });
}

export const REFERENCE_INCIDENT_FIELDS = readTsv('incident-fields.tsv');
export const REFERENCE_NOTE_FIELDS = readTsv('journal-note-fields.tsv');
