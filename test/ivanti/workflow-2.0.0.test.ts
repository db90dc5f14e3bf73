/**
 * A workflow written for Rapid7's plugin 2.0.0, replayed unchanged through the runtime's HTTP
 * server: 2.0.0's inputs for every action, and the output fields its later steps read
 * (`incident.IncidentNumber`, `data`, `journal_note.RecId`, `success`,
 * `service_request.ServiceReqNumber`).
 */
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAjv } from '../../src/spec/validators.js';
import { startStack, type Json, type Stack } from './helpers.js';

let stack: Stack;
t.before(async () => {
  stack = await startStack();
});
t.teardown(() => stack.close());

function ok(t: Test, r: { status: number; body: Json }): Json {
  t.equal(r.status, 200, r.body.error ?? 'answered 200');
  return (r.body.output ?? {}) as Json;
}

t.test("2.0.0's steps, its inputs, the outputs its later steps read", async (t) => {
  // Create Incident with 2.0.0's inputs (the category is one this tenant's list holds).
  const created = ok(t, await stack.run('create_incident', {
    summary: 'Phone system down after 2.0.0 workflow',
    description: 'This incident was created using InsightConnect',
    customer: 'user@example.com',
    status: 'Logged',
    type: 'Failure',
    urgency: 'Medium',
    assignee: 'John Doe',
    source: 'Network Monitor',
    impact: 'Medium',
    category: 'Telephony',
  }));
  const number = created.incident.IncidentNumber as number;
  t.type(number, 'number', 'incident.IncidentNumber');

  const got = ok(t, await stack.run('get_incident', { incident_number: number }));
  t.equal(got.incident.IncidentNumber, number, 'Get Incident: incident');

  // 2.0.0 always sends a keyword, and reads `data`.
  const found = ok(t, await stack.run('search_incidents', { keyword: 'Phone' }));
  t.ok(Array.isArray(found.data), 'Search Incidents: data is a list');
  t.ok((found.data as Json[]).some((i) => i.IncidentNumber === number), 'and holds the new incident');
  t.notOk('incidents' in found, 'no output under the old name');
  t.equal(found.count, found.data.length, 'count beside it');
  const none = ok(t, await stack.run('search_incidents', { keyword: 'zzqqxxnothingmatches' }));
  t.same(none.data, [], 'no match: an empty list, not an error');

  const updated = ok(t, await stack.run('update_incident', {
    incident_number: number,
    status: 'Waiting for Resolution',
    customer: 'user@example.com',
    assignee: 'John Doe',
    category: 'How-To',
    resolution: 'This incident was resolved by InsightConnect',
    cause_code: 'Software',
  }));
  t.equal(updated.incident.Status, 'Waiting for Resolution', 'Update Incident: incident');

  const note = ok(t, await stack.run('add_note', {
    incident_number: number,
    summary: 'Example note summary created from InsightConnect',
    notes: 'Example note body created from InsightConnect',
    category: 'Memo',
    source: 'Other',
  }));
  t.match(note.journal_note.RecId, /^[0-9A-F]{32}$/, 'Add Note: journal_note');

  const deleted = ok(t, await stack.run('delete_incident', { incident_number: number }));
  t.equal(deleted.success, true, 'Delete Incident: success');

  // Create Service Request with 2.0.0's inputs: the template by name, then by record ID.
  const request = ok(t, await stack.run('create_service_request', {
    service_request_template: 'Request New Laptop',
    customer: 'user@example.com',
    description: 'This service request was created using InsightConnect',
    status: 'Submitted',
    urgency: 'Medium',
  }));
  t.type(request.service_request.ServiceReqNumber, 'number', 'Create Service Request: service_request.ServiceReqNumber');
  t.match(request.service_request.RecId, /^[0-9A-F]{32}$/, 'service_request.RecId');
  const template = request.service_request.SvcReqTmplLink as string;
  const byId = ok(t, await stack.run('create_service_request', {
    service_request_template: template,
    customer: 'user@example.com',
    description: 'By the template record ID',
    status: 'Submitted',
  }));
  t.equal(byId.service_request.SvcReqTmplLink, template, 'the template by its record ID');
});

t.test("the New Incident trigger takes 2.0.0's input, and its frequency defaults to 10 seconds", async (t) => {
  const schema = JSON.parse(readFileSync(join(process.cwd(), 'schemas/triggers/new_incident/input.json'), 'utf8')) as Json;
  t.equal(schema.properties.frequency.default, 10);
  const validate = createAjv().compile(schema);
  t.ok(validate({ frequency: 60 }), "2.0.0's example input");
  const defaulted: Json = {};
  t.ok(validate(defaulted));
  t.equal(defaulted.frequency, 10, 'a workflow that leaves it out gets 10');
});
