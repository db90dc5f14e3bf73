/** Add Note: POST a journal note linked to the incident found by its number. */
import type { AddNoteInput, AddNoteOutput, JournalNote } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import type { IsmConnection } from '../ism-connection.js';
import { cleanRecord, findIncidentRecId } from '../lookups.js';
import { given, requireRecord } from './fields.js';

export const addNote: ActionHandler<AddNoteInput, AddNoteOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const recId = await findIncidentRecId(client, input.incident_number, log);
    const body: Record<string, unknown> = {
      ParentLink_RecID: recId,
      ParentLink_Category: 'Incident',
      Subject: input.summary,
    };
    const optional: [string, string | undefined][] = [
      ['NotesBody', given(input.notes)],
      ['Category', given(input.category)],
      ['Source', given(input.source)],
    ];
    for (const [field, value] of optional) if (value !== undefined) body[field] = value;
    log.info(`Adding a note to incident ${input.incident_number}.`);
    const { body: created } = await client.request('POST', 'journal__notess', log, body);
    const note = requireRecord(created, 'the created note');
    log.info('Added the note.');
    return { journal_note: cleanRecord(note) as JournalNote };
  },
};
