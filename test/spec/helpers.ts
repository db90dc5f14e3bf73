/**
 * Shared fixtures for the spec tests: the project's files, a small valid spec, the seed
 * document's tables and the reference field lists. Not a test file itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { parseSpec, parseSpecDocument, SpecError } from '../../src/spec/load.js';
import type { PluginSpec } from '../../src/spec/model.js';

export const ROOT = process.cwd();
export const SPEC_FILE = join(ROOT, 'plugin.spec.yaml');
/** Copies of the reference documents the plugin was specified from, so the tests stand alone. */
export const REFERENCE_DIR = join(ROOT, 'test', 'fixtures', 'reference');
export const ACTIONS = ['create_incident', 'update_incident', 'delete_incident', 'add_note'] as const;

export type Doc = Record<string, any>;

export function readProjectFile(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}

export function readJson(rel: string): Doc {
  return JSON.parse(readProjectFile(rel)) as Doc;
}

/** plugin.spec.yaml as a plain object, ready to be changed and dumped again. */
export function realDoc(): Doc {
  return parseSpecDocument(readFileSync(SPEC_FILE, 'utf8')) as Doc;
}

export function realSpec(): PluginSpec {
  return parseSpec(readFileSync(SPEC_FILE, 'utf8'), SPEC_FILE);
}

/** A small spec that loads: one custom type, one connection field, one action. */
export function minimalDoc(): Doc {
  return {
    plugin_spec_version: 'v2',
    name: 'mini',
    title: 'Mini',
    description: 'A minimal plugin',
    version: '1.0.0',
    vendor: 'example',
    types: {
      thing: {
        id: { title: 'ID', description: 'Identifier', type: 'integer' },
        label: { title: 'Label', description: 'Label of the thing', type: 'string' },
      },
    },
    connection: {
      url: { title: 'URL', description: 'Address', type: 'string', required: true, example: 'https://example.com' },
    },
    actions: {
      do_it: {
        title: 'Do It',
        description: 'Does it',
        input: {
          mode: { title: 'Mode', description: 'Mode', type: 'string', enum: ['fast', 'slow'], default: 'fast', example: 'slow' },
          count: { title: 'Count', description: 'How many', type: 'integer', example: 3 },
        },
        output: {
          thing: { title: 'Thing', description: 'The thing', type: 'thing', required: true },
        },
      },
    },
  };
}

/** Dumps a spec object to YAML and loads it; returns the SpecError (or fails with the spec). */
export function loadDoc(doc: Doc): PluginSpec {
  return parseSpec(dump(doc), 'test.spec.yaml');
}

export function specErrorOf(doc: Doc | string): SpecError | undefined {
  try {
    if (typeof doc === 'string') parseSpec(doc, 'test.spec.yaml');
    else loadDoc(doc);
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// The seed document (the plugin's help as it was first specified).

export type Row = Record<string, string>;

export interface SeedAction {
  title: string;
  input: Row[];
  output: Row[];
}

export interface Seed {
  connection: Row[];
  actions: Map<string, SeedAction>;
}

function splitRow(line: string): string[] {
  const cells = line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/);
  return cells.map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** The markdown table starting at or after `from`; rows keyed by the header's cells. */
export function tableAt(lines: string[], from: number): { header: string[]; rows: Row[]; end: number } {
  let i = from;
  while (i < lines.length && !lines[i]!.trim().startsWith('|')) i++;
  if (i >= lines.length) throw new Error(`no table after line ${from + 1}`);
  const header = splitRow(lines[i]!);
  const rows: Row[] = [];
  i += 2; // header and |----| separator
  for (; i < lines.length && lines[i]!.trim().startsWith('|'); i++) {
    const cells = splitRow(lines[i]!);
    rows.push(Object.fromEntries(header.map((h, k) => [h, cells[k] ?? ''])));
  }
  return { header, rows, end: i };
}

function indexOfLine(lines: string[], predicate: (l: string) => boolean, from = 0): number {
  for (let i = from; i < lines.length; i++) if (predicate(lines[i]!)) return i;
  return -1;
}

export function stepNameFromTitle(title: string): string {
  return title.trim().toLowerCase().replace(/\s+/g, '_');
}

export function parseSeed(text: string): Seed {
  const lines = text.split(/\r?\n/);
  const connAt = indexOfLine(lines, (l) => l.includes('connection configuration accepts the following parameters'));
  if (connAt < 0) throw new Error('seed: no connection table');
  const connection = tableAt(lines, connAt).rows;

  const actionsAt = indexOfLine(lines, (l) => l.trim() === '### Actions');
  const triggersAt = indexOfLine(lines, (l) => l.trim() === '### Triggers', actionsAt);
  const actions = new Map<string, SeedAction>();
  for (let i = actionsAt; i < triggersAt; i++) {
    const m = /^####\s+(.+?)\s*$/.exec(lines[i]!);
    if (!m || lines[i]!.startsWith('#####')) continue;
    const title = m[1]!;
    const inputAt = indexOfLine(lines, (l) => l.trim() === '##### Input', i);
    const outputAt = indexOfLine(lines, (l) => l.trim() === '##### Output', i);
    actions.set(stepNameFromTitle(title), { title, input: tableAt(lines, inputAt).rows, output: tableAt(lines, outputAt).rows });
  }
  return { connection, actions };
}

export function seed(): Seed {
  return parseSeed(readFileSync(join(REFERENCE_DIR, 'seed-plugin-help-1.0.0.md'), 'utf8'));
}

/** A value as the seed prints it (Python style: None, True, 12345) in the spec's terms. */
export function seedValue(raw: string, type: string): unknown {
  if (raw === 'None' || raw === '') return undefined;
  if (type === 'boolean') {
    // The seed prints Python's True/False; our help prints JSON's true/false.
    if (raw === 'True' || raw === 'true') return true;
    if (raw === 'False' || raw === 'false') return false;
    throw new Error(`'${raw}' is not a boolean`);
  }
  if (type === 'integer' || type === 'number') {
    const n = Number(raw);
    if (Number.isNaN(n)) throw new Error(`seed: '${raw}' is not a number`);
    return n;
  }
  return raw;
}

/** The seed's Enum column, a Python list of strings such as ['Low', 'Medium']. */
export function seedEnum(raw: string): string[] | undefined {
  if (raw === 'None' || raw === '') return undefined;
  if (!raw.startsWith('[') || !raw.endsWith(']')) throw new Error(`seed: '${raw}' is not a list`);
  return [...raw.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? m[2] ?? '');
}

export function seedBool(raw: string): boolean {
  if (raw === 'True' || raw === 'true') return true;
  if (raw === 'False' || raw === 'false') return false;
  throw new Error(`seed: '${raw}' is not True or False`);
}

// ---------------------------------------------------------------------------------------
// Reference field lists of the custom types.

export interface FieldRow {
  key: string;
  type: string;
  title: string;
}

export function referenceFields(file: 'incident-fields.tsv' | 'journal-note-fields.tsv'): FieldRow[] {
  const lines = readFileSync(join(REFERENCE_DIR, file), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = lines.shift()!.split('\t');
  return lines.map((l) => {
    const cells = l.split('\t');
    const get = (name: string) => cells[header.indexOf(name)] ?? '';
    return { key: get('key'), type: get('type'), title: get('title') };
  });
}

/**
 * The incident type's fields: the 110 of incident-fields.tsv and the 57 Rapid7's plugin 2.0.0
 * adds, with ISM's real keys where 2.0.0 misspells one (`ResponseEscLink_category`) and ISM's
 * type where 2.0.0 declares another (`ResolvedByIncidentNumber` is a number), plus
 * `TypeOfIncident_Valid`, which ISM returns like every validated field; in ASCII order of key.
 */
export function incidentFields(): FieldRow[] {
  const extra = readFileSync(join(REFERENCE_DIR, 'incident-fields-2.0.0-extra.tsv'), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [key, type, title] = l.split('\t') as [string, string, string];
      return { key: key === 'ResponseEscLink_category' ? 'ResponseEscLink_Category' : key, type: key === 'ResolvedByIncidentNumber' ? 'integer' : type, title };
    });
  const all = [...referenceFields('incident-fields.tsv'), ...extra, { key: 'TypeOfIncident_Valid', type: 'string', title: 'Type Of Incident Valid' }];
  return all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A TSV type in JSON Schema terms: int and integer are both integers. */
export function jsonTypeOfTsv(type: string): string {
  switch (type) {
    case 'int':
    case 'integer':
      return 'integer';
    case 'bool':
    case 'boolean':
      return 'boolean';
    case 'float':
    case 'number':
      return 'number';
    default:
      return type;
  }
}

/** Every `$ref` target inside a schema. */
export function refsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) refsIn(item, found);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') found.add(v);
      else refsIn(v, found);
    }
  }
  return found;
}
