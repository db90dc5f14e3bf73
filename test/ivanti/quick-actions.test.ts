/**
 * Run Quick Action end to end through the runtime's HTTP server and the simulator: the ActionId
 * found in the metadata by the exact name, ISM's body sent once, the record read back; prompts
 * given, missing and invalid; names that must never reach a URL; faults after ISM applied it.
 */
import t, { type Test } from 'tap';
import { INCIDENT_ACTION_IDS } from '../../src/simulator/objects/incident-quick-actions.js';
import { RECORDS, RO_KEY, SEED, startStack, type Json, type StepAnswer } from './helpers.js';

const close = (record_id: string, parameters?: Json, action = 'Close Incident'): Json => ({
  object: 'Incident',
  record_id,
  action,
  ...(parameters ? { parameters } : {}),
});
const PROMPTS = { CauseCode: 'Software', Resolution: 'Removed the mail rule.' };
const posts = (r: StepAnswer) => r.entries.filter((e) => e.method === 'POST');

function ok(t: Test, r: StepAnswer): Json {
  t.equal(r.status, 200, r.body.error ?? 'answered 200');
  return r.body.output as Json;
}

function refused(t: Test, r: StepAnswer, pattern: RegExp): void {
  t.equal(r.status, 400, 'a plugin error: 400');
  t.equal(r.body.status, 'error');
  t.match(r.body.error, pattern);
}

t.test('run_quick_action', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;
  const incident = (recId: string) => sim.store.findIncidentByRecId(recId)!;

  t.test('Close Incident with its prompts: metadata, one POST of ISM\'s body, the record read back', async (t) => {
    const r = await stack.run('run_quick_action', close(SEED.incident10002, PROMPTS));
    const output = ok(t, r);
    t.equal(output.success, true);
    t.match(output.record, { RecId: SEED.incident10002, IncidentNumber: 10002, Status: 'Closed', CauseCode: 'Software', Resolution: 'Removed the mail rule.' });
    t.notOk('result' in output, 'ISM answered no record');
    t.same(r.entries.map((e) => `${e.method} ${e.path.replace(/^.*\/api\/odata\/(businessobject\/)?/, '')}`), [
      'GET Incidents/$metadata',
      `POST Incidents('${SEED.incident10002}')/Close_Incident`,
      `GET Incidents('${SEED.incident10002}')`,
    ]);
    const id = INCIDENT_ACTION_IDS.Close_Incident;
    t.same(posts(r)[0]!.body, {
      ActionId: id,
      ShouldSave: true,
      ActionParams: { FormParams: { actionId: id, actualObjectType: 'Incident#', objectId: SEED.incident10002 }, GridParams: null },
      PromptParams: [
        { __type: 'DataLayer.PromptData', FieldName: 'CauseCode', Value: 'Software', PromptObjectType: 'Incident#', Required: true },
        { __type: 'DataLayer.PromptData', FieldName: 'Resolution', Value: 'Removed the mail rule.', PromptObjectType: 'Incident#', Required: true },
      ],
    });
    t.equal(incident(SEED.incident10002).Status, 'Closed');
  });

  t.test('the metadata name works as well, and values travel exactly as given', async (t) => {
    const resolution = `It's "done" – ünïcode, 证据, </Action> & '); DROP`;
    const r = await stack.run('run_quick_action', close(SEED.incident10001, { CauseCode: 'Configuration', Resolution: resolution }, 'Resolve_Incident'));
    t.match(ok(t, r).record, { Status: 'Resolved', Resolution: resolution });
    t.equal((posts(r)[0]!.body as Json).ActionId, INCIDENT_ACTION_IDS.Resolve_Incident);
    t.equal(incident(SEED.incident10001).Resolution, resolution);
  });

  t.test('Clone Incident: no prompts (PromptParams null); the copy ISM answers is the result', async (t) => {
    const before = sim.store.incidents().length;
    const r = await stack.run('run_quick_action', { object: 'Incident', record_id: SEED.incident10002, action: 'Clone Incident' });
    const output = ok(t, r);
    t.equal((posts(r)[0]!.body as Json).PromptParams, null);
    t.equal(sim.store.incidents().length, before + 1, 'one new incident');
    t.equal(output.record.RecId, SEED.incident10002, 'the record is the original');
    t.not(output.result.RecId, SEED.incident10002);
    t.match(output.result, { Status: 'Logged', Subject: incident(SEED.incident10002).Subject });
    t.ok(sim.store.findIncidentByRecId(output.result.RecId), 'the copy exists');
  });

  t.test('prompts missing or blank: an error naming the fields, nothing changed', async (t) => {
    const before = incident(RECORDS.incident10006);
    const none = await stack.run('run_quick_action', close(RECORDS.incident10006));
    refused(t, none, /ISM needs a value for 'parameters\.CauseCode' and 'parameters\.Resolution' to run Close Incident on Incident 65F4/);
    t.match(none.body.exception.assistance, /\{"CauseCode": "\.\.\.", "Resolution": "\.\.\."\}/);
    t.equal(posts(none).length, 1, 'sent once, not retried');
    const blank = await stack.run('run_quick_action', close(RECORDS.incident10006, { CauseCode: 'Software', Resolution: '' }));
    refused(t, blank, /ISM needs a value for 'parameters\.Resolution' to run/);
    t.same(incident(RECORDS.incident10006), before, 'the incident is as it was');
  });

  t.test('a value outside the validation list: an error naming the field and the value', async (t) => {
    const r = await stack.run('run_quick_action', close(RECORDS.incident10006, { causecode: 'Bogus', Resolution: 'x' }));
    refused(t, r, /'parameters\.causecode' is 'Bogus', which is not in ISM's validation list Incident\.CauseCode; Close Incident on Incident .* was not run/);
    t.equal(incident(RECORDS.incident10006).Status, 'Active', 'not closed');
  });

  t.test('parameters that are not field values: refused before anything reaches ISM', async (t) => {
    for (const [parameters, pattern] of [
      [{ 'Cause Code': 'Software' }, /'parameters' names a field ISM cannot have: "Cause Code"/],
      [{ CauseCode: { value: 'Software' } }, /'parameters\.CauseCode' must be text, a number, true or false/],
      [{ CauseCode: null }, /'parameters\.CauseCode' must be text/],
    ] as const) {
      const r = await stack.run('run_quick_action', close(RECORDS.incident10006, parameters as Json));
      refused(t, r, pattern);
      t.same(r.entries, [], 'nothing reached ISM');
    }
  });

  t.test('unknown quick actions: the object\'s actions listed, nothing written', async (t) => {
    const unknown = await stack.run('run_quick_action', close(RECORDS.incident10006, PROMPTS, 'Escalate Incident'));
    refused(t, unknown, /Incident has no quick action 'Escalate Incident' \(Escalate_Incident in its metadata\)/);
    t.match(unknown.body.exception.assistance, /Close Incident, Resolve Incident, Clone Incident/);
    t.same(posts(unknown), []);
    const wrongCase = await stack.run('run_quick_action', close(RECORDS.incident10006, PROMPTS, 'close incident'));
    refused(t, wrongCase, /names are case-sensitive, and it has 'Close Incident'/);
    t.same(posts(wrongCase), [], 'never matched loosely');
    const none = await stack.run('run_quick_action', { object: 'Problem', record_id: '0'.repeat(32), action: 'Close Incident' });
    refused(t, none, /Problem has no quick action 'Close Incident'/);
    t.match(none.body.exception.assistance, /lists no quick actions/);
  });

  t.test('hostile action and object names never reach a URL', async (t) => {
    for (const action of ["Close_Incident')/../../incidents('X", 'Close Incident?$top=1', 'Close%20Incident', ' Close Incident', 'Close Incident ', 'Close\nIncident', 'Close/Incident', '../Close', 'x'.repeat(129)]) {
      const r = await stack.run('run_quick_action', close(RECORDS.incident10006, PROMPTS, action));
      refused(t, r, /'action' must be a quick action's name/);
      t.same(r.entries, [], `${JSON.stringify(action.slice(0, 30))}: nothing reached ISM`);
    }
    for (const object of ["Incident')/x", 'incidents?$x', 'Incident ', '../Incident']) {
      const r = await stack.run('run_quick_action', { ...close(RECORDS.incident10006, PROMPTS), object });
      refused(t, r, /'object' must be a business object name/);
      t.same(r.entries, []);
    }
    const id = await stack.run('run_quick_action', close(`${RECORDS.incident10006}')`, PROMPTS));
    refused(t, id, /'record_id' must be an ISM record ID/);
    t.same(id.entries, []);
  });

  t.test('unknown records and objects, refusals and roles', async (t) => {
    const missing = await stack.run('run_quick_action', close('ABCDEF0123456789ABCDEF0123456789', PROMPTS));
    refused(t, missing, /Incident has no record with the ID ABCDEF0123456789ABCDEF0123456789 given in 'record_id'/);
    const object = await stack.run('run_quick_action', { ...close(RECORDS.incident10006, PROMPTS), object: 'Incidnet' });
    refused(t, object, /ISM has no business object 'Incidnet'/);
    t.same(posts(object), []);
    const closed = await stack.run('run_quick_action', close(SEED.incident10005Closed, PROMPTS));
    refused(t, closed, /ISM refused to run Close Incident on Incident 5BA4.*its status is Closed/);
    const readOnly = await stack.run('run_quick_action', close(RECORDS.incident10006, PROMPTS), stack.connection({ credentials: { secretKey: RO_KEY } }));
    t.equal(readOnly.status, 400);
    t.match(readOnly.body.error, /SelfService/);
    t.equal(incident(RECORDS.incident10006).Status, 'Active', 'not closed');
  });
});

t.test('under faults: a quick action is never sent twice', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;

  t.test('the connection reset after ISM applied it: one POST, an error saying it may have run', async (t) => {
    sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'reset-after' } });
    const before = sim.store.incidents().length;
    const r = await stack.run('run_quick_action', { object: 'Incident', record_id: SEED.incident10002, action: 'Clone Incident' });
    refused(t, r, /closed before ISM answered/);
    t.match(r.body.exception.assistance, /ISM may have run Clone Incident on Incident .* before the failure; the plugin never sends a quick action twice/);
    t.equal(posts(r).length, 1, 'sent once');
    t.equal(posts(r)[0]!.applied, true, 'ISM applied it');
    t.equal(sim.store.incidents().length, before + 1, 'exactly one copy');
  });

  t.test('502 and 503 from a gateway: not retried', async (t) => {
    for (const status of [502, 503] as const) {
      sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'status', status } });
      const r = await stack.run('run_quick_action', close(SEED.incident10001, PROMPTS));
      t.equal(r.status, 400);
      t.equal(posts(r).length, 1, `${status}: one POST`);
    }
    t.equal(sim.store.findIncidentByRecId(SEED.incident10001)!.Status, 'Logged', 'the gateway answered for ISM: nothing applied');
  });

  t.test('a failed read-back does not look like a failed action', async (t) => {
    sim.faults.script([
      { method: 'GET', set: 'incidents', fault: { kind: 'latency', ms: 0 } },
      { method: 'GET', set: 'incidents', times: 4, fault: { kind: 'status', status: 503 } },
    ]);
    const r = await stack.run('run_quick_action', close(SEED.incident10001, PROMPTS));
    refused(t, r, /ISM ran Close Incident on Incident BC6E.*, but reading the record back failed/);
    t.match(r.body.exception.assistance, /no need to run it again/);
    t.equal(posts(r).length, 1);
    t.equal(sim.store.findIncidentByRecId(SEED.incident10001)!.Status, 'Closed');
  });
});
