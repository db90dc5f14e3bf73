/**
 * The four actions and the connection test, end to end: InsightConnect envelopes posted to the
 * runtime's HTTP server, the plugin calling the in-process simulator, and the simulator's journal
 * showing what reached ISM.
 */
import t from 'tap';
import { SEED, sampleInput, shape, startStack, type Json } from './helpers.js';

function hasNoBlankValues(value: unknown): boolean {
  if (value === null || value === '') return false;
  if (Array.isArray(value)) return value.every(hasNoBlankValues);
  if (typeof value === 'object') return Object.values(value as object).every(hasNoBlankValues);
  return true;
}

t.test('actions end to end', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;

  t.test('connection test: one cheap authenticated read', async (t) => {
    const r = await stack.test();
    t.equal(r.status, 200);
    t.equal(r.body.status, 'ok');
    t.same(r.body.output, { success: true });
    t.same(shape(r.entries), ['GET employees']);
    const e = r.entries[0]!;
    t.equal(e.query.$top, '1');
    t.equal(e.headers.authorization, 'present/valid', 'Authorization: rest_api_key=<key>');
    t.equal(e.prefix, '/HEAT');
  });

  t.test('connection test through an action route', async (t) => {
    const res = await fetch(`${stack.url}/actions/create_incident/test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: 'v1', type: 'action_start', body: { action: 'create_incident', meta: {}, connection: stack.connection(), input: {} } }),
    });
    const body = (await res.json()) as Json;
    t.equal(res.status, 200);
    t.same(body.body.output, { success: true });
  });

  t.test('create_incident with the spec example', async (t) => {
    const before = sim.store.counts().incidents;
    // A category left blank, as orchestrators send an optional field nobody filled in.
    const r = await stack.run('create_incident', sampleInput('create_incident', { category: '' }));
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.equal(r.body.status, 'ok');
    t.same(r.body.meta, { job: 't' }, 'meta echoed');
    t.same(shape(r.entries), ['GET employees', 'POST incidents'], 'customer and assignee in one lookup, then the create');
    const post = r.entries.at(-1)!;
    t.same(post.body, {
      Subject: 'Incident Created By InsightConnect',
      Symptom: 'This incident was created using InsightConnect',
      ProfileLink: SEED.exampleUser,
      Status: 'Logged',
      TypeOfIncident: 'Failure',
      Impact: 'Medium',
      Urgency: 'Medium',
      Source: 'Network Monitor',
      Owner: 'jdoe',
    }, 'the empty category is not sent; Owner is the login ID, not "John Doe"');
    t.equal(post.applied, true);
    t.equal(post.status, 201);
    t.equal(sim.store.counts().incidents, before + 1);
    const incident = r.body.output.incident as Json;
    t.equal(incident.Subject, 'Incident Created By InsightConnect');
    t.equal(incident.Owner, 'jdoe');
    t.equal(incident.ProfileLink, SEED.exampleUser);
    t.type(incident.IncidentNumber, 'number');
    t.match(incident.RecId, /^[0-9A-F]{32}$/);
    t.ok(hasNoBlankValues(r.body.output), 'nulls and empty strings dropped from the output');
    t.notOk('Category' in incident, 'a field ISM left null is absent');
    for (const e of r.entries) t.notOk('$search' in e.query, 'lookups never use $search');
  });

  t.test('create_incident with only the required inputs: optional fields not sent', async (t) => {
    const r = await stack.run('create_incident', {
      summary: 'Printer offline',
      description: 'The 2nd floor printer shows offline.',
      customer: 'user@example.com',
      status: 'Logged',
      type: 'Request',
      category: '',
      assignee: '   ',
    });
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.same(shape(r.entries), ['GET employees', 'POST incidents'], 'no assignee lookup for a blank assignee');
    t.same(r.entries.at(-1)!.body, {
      Subject: 'Printer offline',
      Symptom: 'The 2nd floor printer shows offline.',
      ProfileLink: SEED.exampleUser,
      Status: 'Logged',
      TypeOfIncident: 'Request',
    });
    t.ok(hasNoBlankValues(r.body.output));
  });

  t.test('create_incident Active with category and assignee by email', async (t) => {
    const r = await stack.run('create_incident', {
      ...sampleInput('create_incident'),
      status: 'Active',
      category: 'Network',
      assignee: 'john.smith@example.com',
    });
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    const body = r.entries.at(-1)!.body as Json;
    t.equal(body.Owner, 'jsmith');
    t.equal(body.Category, 'Network');
    t.equal(r.body.output.incident.Status, 'Active');
  });

  t.test('update_incident with the spec example', async (t) => {
    const r = await stack.run('update_incident', sampleInput('update_incident', { incident_number: 10007 }));
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.same(shape(r.entries).sort(), ['GET employees', 'GET incidents', 'PATCH incidents(BA916C3BA8EB100603B2B6F1004585AD)'].sort(), 'incident and employees side by side, then the patch');
    const patch = r.entries.find((e) => e.method === 'PATCH')!;
    t.same(patch.body, {
      Status: 'Waiting for Resolution',
      Owner: 'jdoe',
      ProfileLink: SEED.exampleUser,
      Category: 'How-To',
      CauseCode: 'Software',
      Resolution: 'This incident was resolved by InsightConnect',
    });
    t.equal(patch.applied, true);
    const incident = r.body.output.incident as Json;
    t.equal(incident.IncidentNumber, 10007);
    t.equal(incident.Status, 'Waiting for Resolution');
    t.equal(incident.Owner, 'jdoe');
    t.ok(hasNoBlankValues(r.body.output));
    const lookup = r.entries.find((e) => e.set === 'incidents' && e.method === 'GET')!;
    t.equal(lookup.query.$filter, 'IncidentNumber eq 10007', 'the number is a bare literal');
  });

  t.test('update_incident sends only the fields given', async (t) => {
    const r = await stack.run('update_incident', { incident_number: 10003, category: 'Software', assignee: '', customer: '' });
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.same(shape(r.entries), ['GET incidents', 'PATCH incidents(1D06FD699C46F90DC135D4F9D6DC8565)']);
    t.same(r.entries[1]!.body, { Category: 'Software' });
    t.equal(r.body.output.incident.Category, 'Software');
    t.equal(r.body.output.incident.Status, 'Waiting for Customer', 'the rest untouched');
  });

  t.test('update_incident needs at least one field: error before any ISM call', async (t) => {
    for (const input of [{ incident_number: 10001 }, { incident_number: 10001, status: undefined, assignee: '', resolution: '  ', category: '' }]) {
      const r = await stack.run('update_incident', input);
      t.equal(r.status, 400);
      t.equal(r.body.status, 'error');
      t.match(r.body.exception.cause, /at least one of status, assignee, customer, category, cause_code, resolution/);
      t.match(r.body.error, /10001/);
      t.same(r.entries, [], 'nothing reached ISM');
    }
  });

  t.test('update_incident: 204 answer, then the record is read back', async (t) => {
    sim.behaviour.updateAnswer = 'no-content';
    t.teardown(() => void (sim.behaviour.updateAnswer = 'record'));
    const r = await stack.run('update_incident', { incident_number: 10006, category: 'Malware' });
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.same(shape(r.entries), [
      'GET incidents',
      'PATCH incidents(65F494258B2AF338182C42C23E423708)',
      'GET incidents(65F494258B2AF338182C42C23E423708)',
    ]);
    t.equal(r.entries[1]!.status, 204);
    t.equal(r.body.output.incident.Category, 'Malware');
    t.equal(r.body.output.incident.IncidentNumber, 10006);
    t.ok(hasNoBlankValues(r.body.output));
  });

  t.test('update_incident: 204, then the read-back fails: the error says the change was saved', async (t) => {
    sim.behaviour.updateAnswer = 'no-content';
    t.teardown(() => {
      sim.behaviour.updateAnswer = 'record';
      sim.faults.clear();
    });
    // The lookup goes through (a zero latency is no fault); every later read answers 503.
    sim.faults.script([
      { method: 'GET', set: 'incidents', times: 1, fault: { kind: 'latency', ms: 0 } },
      { method: 'GET', set: 'incidents', times: 'always', fault: { kind: 'status', status: 503 } },
    ]);
    const r = await stack.run('update_incident', { incident_number: 10006, category: 'Phishing' });
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /ISM saved the change to incident 10006, but reading the incident back failed: .*503/);
    t.match(r.body.exception.assistance, /no need to run it again/);
    t.equal(r.entries.filter((e) => e.method === 'PATCH').length, 1, 'the PATCH was sent once');
    t.equal(sim.store.findIncidentByNumber(10006)?.Category, 'Phishing', 'and applied');
  });

  t.test('create_incident: a blank customer is refused before any ISM call', async (t) => {
    const r = await stack.run('create_incident', { ...sampleInput('create_incident'), customer: '   ', assignee: '' });
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /customer input is blank/);
    t.same(r.entries, [], "no `LoginID eq ''` lookup");
  });

  t.test('update_incident: Resolved without cause code and resolution names the inputs needed', async (t) => {
    for (const status of ['Resolved', 'Closed']) {
      const r = await stack.run('update_incident', { incident_number: 10001, status });
      t.equal(r.status, 400, r.body.error ?? 'answered 400');
      t.match(r.body.exception.cause, new RegExp(`'${status}'.*PromptException`));
      t.match(r.body.exception.assistance, /cause_code and resolution/);
      t.match(r.body.exception.data, /PromptException/, "ISM's message in data");
      t.equal(r.entries.at(-1)!.applied, false);
    }
    const partial = await stack.run('update_incident', { incident_number: 10001, status: 'Resolved', cause_code: 'Software' });
    t.equal(partial.status, 400);
    t.match(partial.body.exception.assistance, /Give resolution\b/, 'only the missing input');
    t.notMatch(partial.body.exception.assistance, /Give cause_code/);
    t.equal(sim.store.findIncidentByRecId(SEED.incident10001)?.Status, 'Logged', 'nothing changed');
  });

  t.test('update_incident: Resolved with cause code and resolution works', async (t) => {
    const r = await stack.run('update_incident', { incident_number: 10002, status: 'Resolved', cause_code: 'Session Reset', resolution: 'Unlocked the account.' });
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.equal(r.body.output.incident.Status, 'Resolved');
    t.equal(r.body.output.incident.CauseCode, 'Session Reset');
  });

  t.test('update_incident: Active without an owner names the input needed', async (t) => {
    // 10001 is Logged with a category and no owner: ISM wants the Owner.
    const r = await stack.run('update_incident', { incident_number: 10001, status: 'Active' });
    t.equal(r.status, 400, r.body.error ?? 'answered 400');
    t.match(r.body.exception.cause, /'Active'/);
    t.match(r.body.exception.assistance, /assignee/);
    t.notMatch(r.body.exception.assistance, /category/, 'the incident already has a category; only the owner is missing');
    const both = await stack.run('update_incident', { incident_number: 10001, status: 'Active', assignee: 'jdoe' });
    t.equal(both.status, 200, both.body.error ?? 'answered 200');
    t.equal(both.body.output.incident.Owner, 'jdoe');
  });

  t.test('delete_incident with the spec example (204)', async (t) => {
    const created = await stack.run('create_incident', sampleInput('create_incident'));
    const number = created.body.output.incident.IncidentNumber as number;
    const recId = created.body.output.incident.RecId as string;
    const note = await stack.run('add_note', sampleInput('add_note', { incident_number: number }));
    t.equal(note.status, 200, note.body.error ?? 'answered 200');
    t.equal(sim.store.notesFor(recId).length, 1);
    const r = await stack.run('delete_incident', sampleInput('delete_incident', { incident_number: number }));
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.same(r.body.output, { success: true });
    t.same(shape(r.entries), ['GET incidents', `DELETE incidents(${recId})`]);
    t.equal(r.entries[1]!.status, 204);
    t.notOk(sim.store.findIncidentByRecId(recId), 'the incident is gone');
    t.equal(sim.store.notesFor(recId).length, 0, 'its notes went with it');
    const again = await stack.run('delete_incident', { incident_number: number });
    t.equal(again.status, 400);
    t.match(again.body.exception.cause, new RegExp(`No incident has the number ${number}`));
  });

  t.test('delete_incident: 200 with {} is success too', async (t) => {
    sim.behaviour.deleteAnswer = 'empty-object';
    t.teardown(() => void (sim.behaviour.deleteAnswer = 'no-content'));
    const r = await stack.run('delete_incident', { incident_number: 10003 });
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.same(r.body.output, { success: true });
    t.equal(r.entries.at(-1)!.status, 200);
  });

  t.test('delete_incident: a closed incident is refused with a clear error', async (t) => {
    const r = await stack.run('delete_incident', { incident_number: 10005 });
    t.equal(r.status, 400, r.body.error ?? 'answered 400');
    t.match(r.body.exception.cause, /10005/);
    t.match(r.body.exception.cause, /Closed/i);
    t.notMatch(r.body.exception.cause, /\.\./, 'no doubled full stop');
    t.ok(sim.store.findIncidentByRecId(SEED.incident10005Closed), 'still there');
  });

  t.test('add_note with the spec example', async (t) => {
    const r = await stack.run('add_note', sampleInput('add_note', { incident_number: 10002 }));
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.same(shape(r.entries), ['GET incidents', 'POST journal__notess']);
    t.same(r.entries[1]!.body, {
      ParentLink_RecID: SEED.incident10002,
      ParentLink_Category: 'Incident',
      Subject: 'Example note summary created from InsightConnect',
      NotesBody: 'Example note body created from InsightConnect',
      Category: 'Memo',
      Source: 'Other',
    });
    const note = r.body.output.journal_note as Json;
    t.equal(note.ParentLink_RecID, SEED.incident10002);
    t.equal(note.Subject, 'Example note summary created from InsightConnect');
    t.match(note.RecId, /^[0-9A-F]{32}$/);
    t.ok(hasNoBlankValues(r.body.output));
  });

  t.test('add_note with only the summary: Category defaults to Memo, no empty fields sent', async (t) => {
    const r = await stack.run('add_note', { incident_number: 10002, summary: 'Called back', notes: '' });
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    const body = r.entries[1]!.body as Json;
    t.notOk('NotesBody' in body, 'an empty body is not sent');
    t.equal(body.Category ?? 'Memo', 'Memo');
    t.equal(r.body.output.journal_note.Category, 'Memo');
  });

  t.test('add_note: an incident number that does not exist', async (t) => {
    const r = await stack.run('add_note', { incident_number: 99999, summary: 'x' });
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /No incident has the number 99999/);
    t.same(shape(r.entries), ['GET incidents'], 'no note posted');
  });
});
