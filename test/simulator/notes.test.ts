import t from 'tap';
import { SEED, call, enc, start } from './helpers.js';
import { REFERENCE_NOTE_FIELDS } from './fixtures.js';

const REC_ID = /^[0-9A-F]{32}$/;

t.test('POST journal__notess answers 201 with the whole note', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const r = await call(sim, 'POST', 'journal__notess', {
    body: { ParentLink_RecID: SEED.incident10001, ParentLink_Category: 'Incident', Subject: 'Called the customer', NotesBody: 'No answer.', Category: 'Left Voice Mail', Source: 'Phone/Fax' },
  });
  t.equal(r.status, 201);
  const note = r.json();
  for (const { key, type } of REFERENCE_NOTE_FIELDS) {
    t.ok(key in note, `has ${key}`);
    if (note[key] !== null) t.type(note[key], type === 'integer' ? 'number' : type, key);
  }
  t.match(note, {
    '@odata.context': `${sim.origin}/HEAT/api/odata/$metadata#journal__notess/$entity`,
    JournalType: 'Notes',
    DisplayText: 'Called the customer No answer.',
    Subject: 'Called the customer',
    NotesBody: 'No answer.',
    Category: 'Left Voice Mail',
    Source: 'Phone/Fax',
    PublishToWeb: false,
    ParentLink_RecID: SEED.incident10001,
    ParentLink: SEED.incident10001,
    ParentLink_Category: 'Incident',
    CreatedBy: 'admin',
    LastModBy: 'admin',
    IsUnRead: true,
    ReadOnly: false,
  });
  t.match(note.RecId, REC_ID);
  t.match(note.Category_Valid, REC_ID);
  t.match(note.Source_Valid, REC_ID);
  t.match(note.CreatedDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  t.equal(sim.store.notesFor(SEED.incident10001).length, 1);
});

t.test('a note defaults to Category Memo and PublishToWeb false', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const note = (await call(sim, 'POST', 'journal__notess', { body: { ParentLink_RecID: SEED.incident10001, Subject: 'Only a subject' } })).json();
  t.match(note, { Category: 'Memo', PublishToWeb: false, DisplayText: 'Only a subject', NotesBody: null, Source: null, Source_Valid: null });
  const published = (await call(sim, 'POST', 'journal__notess', { body: { ParentLink_RecID: SEED.incident10001, Subject: 's', PublishToWeb: true } })).json();
  t.equal(published.PublishToWeb, true);
});

t.test('note validation: parent, lists, required fields', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const cases: Array<[unknown, string]> = [
    [{ ParentLink_RecID: 'ABCDEF0123456789ABCDEF0123456789', Subject: 's' }, "Record 'ABCDEF0123456789ABCDEF0123456789' cannot be found in the business object 'incident'"],
    [{ Subject: 's' }, 'Journal#Notes((new)).NotEmpty: Required field Journal#Notes.ParentLink value must be provided.'],
    [{ ParentLink_RecID: SEED.incident10001 }, 'Journal#Notes((new)).NotEmpty: Required field Journal#Notes.Subject value must be provided.'],
    [{ ParentLink_RecID: SEED.incident10001, Subject: 's', Category: 'Gossip' }, "UndefinedValidatedValue: 'Gossip' is not in the validation list of validated field Journal#Notes.Category"],
    [{ ParentLink_RecID: SEED.incident10001, Subject: 's', Source: 'Carrier pigeon' }, "UndefinedValidatedValue: 'Carrier pigeon' is not in the validation list of validated field Journal#Notes.Source"],
    [{ ParentLink_RecID: SEED.incident10001, Subject: 's', Body: 'x' }, "The property 'Body' does not exist on type 'Journal#Notes'. Make sure to only use property names that are defined by the type."],
    [{ ParentLink_RecID: SEED.incident10001, ParentLink_Category: 'Change', Subject: 's' }, `Record '${SEED.incident10001}' cannot be found in the business object 'change'`],
    [{}, 'Message body cannot be empty'],
  ];
  for (const [body, message] of cases) {
    const r = await call(sim, 'POST', 'journal__notess', { body });
    t.equal(r.status, 400, message);
    t.same(r.json().message, [message]);
  }
  t.equal(sim.store.counts().notes, 5, 'nothing was written');
});

t.test('notes are listed by ParentLink_RecID', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const r = await call(sim, 'GET', `journal__notess?$filter=${enc(`ParentLink_RecID eq '${SEED.incident10006}'`)}`);
  t.equal(r.status, 200);
  const body = r.json();
  t.equal(body['@odata.count'], 2);
  t.equal(body['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#journal__notess`);
  t.same(body.value.map((n: { Subject: string }) => n.Subject).sort(), ['Containment', 'Update for the customer']);
  const none = await call(sim, 'GET', `journal__notess?$filter=${enc(`ParentLink_RecID eq '${SEED.incident10001}'`)}`);
  t.equal(none.status, 200);
  t.equal(none.text, '', 'no notes: empty body');
});

t.test('the IncidentContainsJournal navigation property', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const r = await call(sim, 'GET', `incidents('${SEED.incident10006}')/IncidentContainsJournal`);
  t.equal(r.status, 200);
  t.equal(r.json()['@odata.count'], 2);
  const none = await call(sim, 'GET', `incidents('${SEED.incident10001}')/IncidentContainsJournal`);
  t.equal(none.status, 200);
  t.equal(none.text, '{"value":"No instances found."}');
  const missing = await call(sim, 'GET', "incidents('ABCDEF0123456789ABCDEF0123456789')/IncidentContainsJournal");
  t.equal(missing.status, 400);
  t.equal((await call(sim, 'GET', `incidents('${SEED.incident10001}')/SomethingElse`)).status, 404);
});

t.test('PATCH .../IncidentContainsJournal(N)/$Ref links a note and answers ISM_2000', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const noteId = '6FE6714CDEC270F6B4C4DBF80CA36D9E';
  const r = await call(sim, 'PATCH', `incidents('${SEED.incident10001}')/IncidentContainsJournal('${noteId}')/$Ref`, { body: {} });
  t.equal(r.status, 200);
  t.same(r.json(), { code: 'ISM_2000', description: 'Ok', message: ['Successfully Created the link'], help: '' });
  t.equal(sim.store.findNoteByRecId(noteId)?.ParentLink_RecID, SEED.incident10001);
  t.equal(sim.store.notesFor(SEED.incident10001).length, 1);
  const bad = await call(sim, 'PATCH', `incidents('${SEED.incident10001}')/IncidentContainsJournal('nope')/$Ref`, { body: {} });
  t.same(bad.json().message, ["Record 'nope' cannot be found in the business object 'journal__notes'"]);
});

t.test('notes can be updated and deleted', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const noteId = '6FE6714CDEC270F6B4C4DBF80CA36D9E';
  const updated = (await call(sim, 'PATCH', `journal__notess('${noteId}')`, { body: { NotesBody: 'New body' } })).json();
  t.equal(updated.DisplayText, 'Called the customer New body');
  t.equal((await call(sim, 'DELETE', `journal__notess('${noteId}')`)).status, 204);
  t.equal(sim.store.findNoteByRecId(noteId), undefined);
});
