/**
 * A 2xx answer whose body reports an error is an error, for every write: never reported as
 * success, and worded so the user checks ISM before running the step again.
 */
import t from 'tap';
import { ERROR_BODY_SHAPES } from '../../src/simulator/index.js';
import { RECORDS, SEED, startStack, type Json } from './helpers.js';

const WRITES: { action: string; input: Json; method: string; set: string }[] = [
  { action: 'create_incident', input: { summary: 's', description: 'd', customer: 'user@example.com', status: 'Logged', type: 'Failure' }, method: 'POST', set: 'incidents' },
  { action: 'update_incident', input: { incident_number: 10002, category: 'Software' }, method: 'PATCH', set: 'incidents' },
  { action: 'delete_incident', input: { incident_number: 10003 }, method: 'DELETE', set: 'incidents' },
  { action: 'add_note', input: { incident_number: 10002, summary: 'a note' }, method: 'POST', set: 'journal__notess' },
  { action: 'add_attachment', input: { incident_number: 10002, attachment: { filename: 'e.txt', content: Buffer.from('evidence').toString('base64') } }, method: 'POST', set: 'attachment' },
  { action: 'create_record', input: { object: 'Problem', fields: { Subject: 's', Description: 'd' } }, method: 'POST', set: 'problems' },
  { action: 'update_record', input: { object: 'Change', record_id: RECORDS.change7001, fields: { Risk: 'High' } }, method: 'PATCH', set: 'changes' },
  { action: 'delete_record', input: { object: 'Problem', record_id: RECORDS.problem5002 }, method: 'DELETE', set: 'problems' },
  { action: 'link_records', input: { object: 'Incident', record_id: SEED.incident10002, relationship: 'IncidentAssociatesCI', related_record_id: RECORDS.laptopLondon }, method: 'PATCH', set: 'incidents' },
];

t.test('every write answered 2xx with an error body fails with a plugin error', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  for (const write of WRITES) {
    for (const shape of ERROR_BODY_SHAPES) {
      for (const status of [200, 201] as const) {
        stack.sim.faults.script({ method: write.method, set: write.set, fault: { kind: 'error-body', shape, status } });
        const r = await stack.run(write.action, write.input);
        const where = `${write.action}, ${shape} body, ${status}`;
        t.equal(r.status, 400, `${where}: an error`);
        t.equal(r.body.status, 'error', where);
        t.notOk('output' in r.body, `${where}: no output`);
        t.match(r.body.exception?.cause, new RegExp(`ISM answered ${write.method} .* with ${status}, but its body reports an error: .*could not be saved`), where);
        t.equal(r.entries.filter((e) => e.method === write.method).length, 1, `${where}: the write was sent once, not retried`);
      }
    }
  }
  t.equal(stack.sim.faults.state().scripted.length, 0, 'every scripted fault was used');
});

t.test("ISM's own success bodies are successes", async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  stack.sim.behaviour.deleteAnswer = 'empty-object';
  const del = await stack.run('delete_incident', { incident_number: 10003 });
  t.equal(del.status, 200, del.body.error ?? '200 with {} is a delete');
  const note = await stack.run('add_note', { incident_number: 10002, summary: 'ok' });
  t.equal(note.status, 200, note.body.error ?? 'a created note');
});
