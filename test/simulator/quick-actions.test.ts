// Quick actions: announced in the collection's $metadata with their ActionIds, run by
// POST {set}('{RecId}')/{Name} with ISM's body; prompts checked as ISM does.
import t from 'tap';
import { INCIDENT_ACTION_IDS } from '../../src/simulator/objects/incident-quick-actions.js';
import { READONLY_KEY, SEED, call, start } from './helpers.js';

const CLOSE = INCIDENT_ACTION_IDS.Close_Incident;

/** ISM's quick action body, as its API help shows it. */
function body(actionId: string, recId: string, prompts: Record<string, unknown> | null): Record<string, unknown> {
  return {
    ActionId: actionId,
    ShouldSave: true,
    ActionParams: { FormParams: { actionId, actualObjectType: 'Incident#', objectId: recId }, GridParams: null },
    PromptParams: prompts === null
      ? null
      : Object.entries(prompts).map(([FieldName, Value]) => ({ __type: 'DataLayer.PromptData', FieldName, Value, PromptObjectType: 'Incident#', Required: true })),
  };
}

t.test('the metadata announces Close, Resolve and Clone Incident with their ActionIds', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const xml = (await call(sim, 'GET', `${sim.url}/api/odata/incidents/$metadata`)).text;
  for (const [name, id] of Object.entries(INCIDENT_ACTION_IDS)) {
    t.match(xml, `<Action Name="${name}" IsBound="true">\n        <Parameter Name="bindingParameter" Type="HEAT.Services.OData.Incident"/>\n        <Parameter Name="ActionId" Type="Edm.String" DefaultValue="${id}"/>`);
  }
  t.notMatch((await call(sim, 'GET', `${sim.url}/api/odata/problems/$metadata`)).text, /<Action /, 'problems have none here');
});

t.test('Close Incident with its prompts: 200 with no body, the incident closed', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const r = await call(sim, 'POST', `incidents('${SEED.incident10002}')/Close_Incident`, { body: body(CLOSE, SEED.incident10002, { causecode: 'software', Resolution: 'Patched.' }) });
  t.equal(r.status, 200, 'answered 200');
  t.equal(r.text, '');
  t.match(sim.store.findIncidentByRecId(SEED.incident10002), { Status: 'Closed', CauseCode: 'Software', Resolution: 'Patched.', ClosedBy: 'admin', IsInFinalState: true });
  const entry = sim.journal.entries().at(-1)!;
  t.match(entry, { method: 'POST', set: 'incidents', navigation: 'Close_Incident', status: 200, applied: true });

  const again = await call(sim, 'POST', `incidents('${SEED.incident10002}')/Close_Incident`, { body: body(CLOSE, SEED.incident10002, { CauseCode: 'Software', Resolution: 'x' }) });
  t.equal(again.status, 400);
  t.same(again.json().message, ['Quick action \'Close Incident\' cannot run on Incident 10002: its status is Closed.']);
});

t.test('prompts missing, blank or not in the validation list: ISM\'s refusals, nothing changed', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const before = sim.store.findIncidentByRecId(SEED.incident10001);
  const post = (prompts: Record<string, unknown> | null) => call(sim, 'POST', `incidents('${SEED.incident10001}')/Close_Incident`, { body: body(CLOSE, SEED.incident10001, prompts) });
  const none = await post(null);
  t.equal(none.status, 400);
  t.match(none.json(), { code: 'ISM_4000', message: ["DataLayer.PromptException: Incident 10001: Quick action 'Close Incident' requires values for the fields: CauseCode, Resolution"] });
  const blank = await post({ CauseCode: 'Software', Resolution: '   ' });
  t.same(blank.json().message, ["DataLayer.PromptException: Incident 10001: Quick action 'Close Incident' requires values for the fields: Resolution"]);
  const invalid = await post({ CauseCode: 'Bogus', Resolution: 'Patched.' });
  t.same(invalid.json().message, ["UndefinedValidatedValue: 'Bogus' is not in the validation list of validated field Incident.CauseCode"]);
  t.same(sim.store.findIncidentByRecId(SEED.incident10001), before, 'the incident is as it was');
});

t.test('the request itself: ActionId, record, action name, role', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const path = `incidents('${SEED.incident10001}')/Close_Incident`;
  const prompts = { CauseCode: 'Software', Resolution: 'Patched.' };
  const message = async (r: Promise<{ status: number; json: () => any }>) => {
    const reply = await r;
    return [reply.status, reply.json().message?.[0] ?? reply.json().Message];
  };
  t.same(await message(call(sim, 'POST', path, { rawBody: '' })), [400, 'Message body cannot be empty']);
  t.same(await message(call(sim, 'POST', path, { body: { ...body(CLOSE, SEED.incident10001, prompts), ActionId: undefined } })), [400, 'ActionId is required to run a quick action.']);
  t.match(await message(call(sim, 'POST', path, { body: body(INCIDENT_ACTION_IDS.Clone_Incident, SEED.incident10001, prompts) })), [400, /is not the action id of the quick action 'Close_Incident' of Incident#/]);
  t.match(await message(call(sim, 'POST', path, { body: body(CLOSE, SEED.incident10002, prompts) })), [400, /FormParams.objectId/]);
  t.same(await message(call(sim, 'POST', `incidents('ABCDEF0123456789ABCDEF0123456789')/Close_Incident`, { body: body(CLOSE, 'ABCDEF0123456789ABCDEF0123456789', prompts) })), [400, "Record 'ABCDEF0123456789ABCDEF0123456789' cannot be found in the business object 'incident'"]);
  const unknown = await call(sim, 'POST', `incidents('${SEED.incident10001}')/Escalate_Incident`, { body: body(CLOSE, SEED.incident10001, prompts) });
  t.equal(unknown.status, 404);
  t.equal(unknown.json().code, 'ISM_4004');
  t.equal((await call(sim, 'POST', `incidents('${SEED.incident10001}')/close_incident`, { body: body(CLOSE, SEED.incident10001, prompts) })).status, 404, 'names are case-sensitive');
  t.same(await message(call(sim, 'POST', path, { key: READONLY_KEY, body: body(CLOSE, SEED.incident10001, prompts) })), [400, 'Role SelfService does not have rights to update object Incident#.']);
  t.equal((await call(sim, 'GET', path)).status, 404, 'a GET of the name is no relationship');
  const dry = await call(sim, 'POST', path, { body: { ...body(CLOSE, SEED.incident10001, prompts), ShouldSave: false } });
  t.equal(dry.status, 200);
  t.equal(sim.store.findIncidentByRecId(SEED.incident10001)?.Status, 'Logged', 'ShouldSave false saves nothing');
});

t.test('Resolve Incident and Clone Incident', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const resolve = await call(sim, 'POST', `incidents('${SEED.incident10001}')/Resolve_Incident`, {
    body: body(INCIDENT_ACTION_IDS.Resolve_Incident, SEED.incident10001, { CauseCode: 'Configuration', Resolution: 'Reconfigured.' }),
  });
  t.equal(resolve.status, 200, 'answered 200');
  t.match(sim.store.findIncidentByRecId(SEED.incident10001), { Status: 'Resolved', ResolvedBy: 'admin', ClosedBy: null });
  const closed = await call(sim, 'POST', `incidents('${SEED.incident10005Closed}')/Resolve_Incident`, {
    body: body(INCIDENT_ACTION_IDS.Resolve_Incident, SEED.incident10005Closed, { CauseCode: 'Configuration', Resolution: 'x' }),
  });
  t.match(closed.json().message, [/cannot run on Incident 10005: its status is Closed/]);

  const count = sim.store.incidents().length;
  const original = sim.store.findIncidentByRecId(SEED.incident10005Closed)!;
  const clone = await call(sim, 'POST', `incidents('${SEED.incident10005Closed}')/Clone_Incident`, { body: body(INCIDENT_ACTION_IDS.Clone_Incident, SEED.incident10005Closed, null) });
  t.equal(clone.status, 200, 'answered 200');
  const copy = clone.json();
  t.equal(sim.store.incidents().length, count + 1, 'one incident more');
  t.not(copy.RecId, original.RecId);
  t.match(copy, { Status: 'Logged', Subject: original.Subject, Symptom: original.Symptom, ProfileLink: original.ProfileLink, IncidentNumber: sim.store.nextIncidentNumber() - 1 });
  t.match(copy['@odata.context'], /#incidents\/\$entity$/);
});
