// Relationships: navigation both ways, link and unlink through `$Ref`, and what ISM answers for a
// link that already exists, an unlink of records that are not linked, and an unknown name.
import t from 'tap';
import { SEED, call, enc, start } from './helpers.js';

const NOTE_OF_10002 = '6FE6714CDEC270F6B4C4DBF80CA36D9E';

t.test('unlinking a note from an incident it does not belong to leaves it where it is', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const r = await call(sim, 'DELETE', `incidents('${SEED.incident10001}')/IncidentContainsJournal('${NOTE_OF_10002}')/$Ref`);
  t.equal(r.status, 200);
  t.same(r.json().message, ['Successfully Deleted the link']);
  t.equal(sim.store.findNoteByRecId(NOTE_OF_10002)?.ParentLink_RecID, SEED.incident10002, 'still the note of 10002');
  t.equal(sim.journal.last()?.applied, false, 'nothing was changed');
});

const PROBLEM_5001 = 'DB6C5EF674754DF7047054037533958A';
const PROBLEM_5003 = '5B9D52CBD2E2BCDE3192CD8993138B4D';
const CHANGE_7001 = '93FE593C9CA650D690C5D2AD8B300D30';
const LAPTOP_USER = '9EFDD86E4BBC00B07B639F52737B8BBF';
const LAPTOP_LONDON = 'C9E3EE315AD94A21C498EB768881E5A6';
const VPN_GATEWAY = 'B60F4F42E41AB90A1107BFEA94D3FF67';
const ids = (body: { value: Array<{ RecId: string }> }): string[] => body.value.map((r) => r.RecId).sort();

t.test('associations are navigable from both sides', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const pairs: Array<[string, string[]]> = [
    [`incidents('${SEED.incident10001}')/IncidentAssociatesProblem`, [PROBLEM_5001]],
    [`problems('${PROBLEM_5001}')/ProblemAssociatesIncident`, [SEED.incident10001]],
    [`incidents('${SEED.incident10001}')/IncidentAssociatesCI`, [LAPTOP_USER]],
    [`cis('${LAPTOP_USER}')/CIAssociatesIncident`, [SEED.incident10001]],
    [`ci__computers('${LAPTOP_USER}')/CIAssociatesIncident`, [SEED.incident10001]],
    [`problems('${PROBLEM_5001}')/ProblemAssociatesChange`, [CHANGE_7001]],
    [`changes('${CHANGE_7001}')/ChangeAssociatesProblem`, [PROBLEM_5001]],
    [`changes('${CHANGE_7001}')/ChangeAssociatesCI`, [VPN_GATEWAY]],
    [`changes('${CHANGE_7001}')/ChangeContainsTask`, ['1D3AE36990FB71DC47A2275DDB42BC29']],
  ];
  for (const [path, expected] of pairs) {
    const r = await call(sim, 'GET', path);
    t.equal(r.status, 200, path);
    t.same(ids(r.json()), expected, path);
  }
  const selected = (await call(sim, 'GET', `incidents('${SEED.incident10006}')/IncidentAssociatesIndicator?$select=IndicatorValue&$orderby=IndicatorValue`)).json();
  t.same(selected.value, [{ IndicatorValue: '203.0.113.45' }, { IndicatorValue: 'login-microsoftonline.example.net' }], 'query options apply');
  t.equal(selected['@odata.count'], 2);
});

t.test('link, link again, unlink, unlink again: ISM_2000 each time, one link at most', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const ref = `incidents('${SEED.incident10002}')/IncidentAssociatesCI('${LAPTOP_LONDON}')/$Ref`;
  const linked = `incidents('${SEED.incident10002}')/IncidentAssociatesCI`;
  const none = await call(sim, 'GET', linked);
  t.equal(none.text, '{"value":"No instances found."}', 'nothing linked yet');

  for (const [attempt, changes] of [['first', true], ['again', false]] as const) {
    const r = await call(sim, 'PATCH', ref, { body: {} });
    t.equal(r.status, 200, `link ${attempt}`);
    t.same(r.json(), { code: 'ISM_2000', description: 'Ok', message: ['Successfully Created the link'], help: '' });
    t.equal(sim.journal.last()?.applied, changes, `link ${attempt}: applied ${changes}`);
  }
  t.same(ids((await call(sim, 'GET', linked)).json()), [LAPTOP_LONDON], 'linked once');
  t.same(ids((await call(sim, 'GET', `ci__computers('${LAPTOP_LONDON}')/CIAssociatesIncident`)).json()), [SEED.incident10002], 'seen from the CI');

  for (const [attempt, changes] of [['first', true], ['again', false]] as const) {
    const r = await call(sim, 'DELETE', ref);
    t.equal(r.status, 200, `unlink ${attempt}`);
    t.same(r.json().message, ['Successfully Deleted the link']);
    t.equal(sim.journal.last()?.applied, changes, `unlink ${attempt}: applied ${changes}`);
  }
  t.equal((await call(sim, 'GET', linked)).text, '{"value":"No instances found."}');
  t.equal((await call(sim, 'GET', `problems('${PROBLEM_5003}')/ProblemAssociatesChange`)).text, '{"value":"No instances found."}');
});

t.test('linking from the other side is the same link', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  t.equal((await call(sim, 'PATCH', `problems('${PROBLEM_5003}')/ProblemAssociatesIncident('${SEED.incident10002}')/$Ref`)).status, 200);
  t.same(ids((await call(sim, 'GET', `incidents('${SEED.incident10002}')/IncidentAssociatesProblem`)).json()), [PROBLEM_5003]);
  t.equal((await call(sim, 'DELETE', `incidents('${SEED.incident10002}')/IncidentAssociatesProblem('${PROBLEM_5003}')/$Ref`)).status, 200);
  t.same(sim.store.related('problems', PROBLEM_5003, 'ProblemAssociatesIncident'), []);
});

t.test('unknown relationship names, records and related records', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  for (const name of ['IncidentAssociatesChange', 'incidentassociatesci', 'INCIDENTASSOCIATESCI', 'IncidentAssociatesCI ']) {
    for (const path of [`incidents('${SEED.incident10001}')/${enc(name)}`, `incidents('${SEED.incident10001}')/${enc(name)}('${LAPTOP_USER}')/$Ref`]) {
      const r = await call(sim, path.endsWith('$Ref') ? 'PATCH' : 'GET', path);
      t.equal(r.status, 404, `${name}: ${path.endsWith('$Ref') ? 'link' : 'list'} (names are case-sensitive)`);
      t.equal(r.json().code, 'ISM_4004');
    }
  }
  const missing = 'ABCDEF0123456789ABCDEF0123456789';
  const noRecord = await call(sim, 'PATCH', `incidents('${missing}')/IncidentAssociatesCI('${LAPTOP_USER}')/$Ref`);
  t.same([noRecord.status, noRecord.json().message], [400, [`Record '${missing}' cannot be found in the business object 'incident'`]]);
  const noRelated = await call(sim, 'PATCH', `incidents('${SEED.incident10001}')/IncidentAssociatesCI('${missing}')/$Ref`);
  t.same([noRelated.status, noRelated.json().message], [400, [`Record '${missing}' cannot be found in the business object 'ci'`]]);
  const wrongType = await call(sim, 'PATCH', `incidents('${SEED.incident10001}')/IncidentAssociatesCI('${PROBLEM_5001}')/$Ref`);
  t.equal(wrongType.status, 400, 'a problem is not a CI');
});

t.test('a deleted record leaves its links; an incident takes its notes and tasks with it', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  t.equal((await call(sim, 'DELETE', `cis('${LAPTOP_USER}')`)).status, 204);
  t.equal((await call(sim, 'GET', `incidents('${SEED.incident10001}')/IncidentAssociatesCI`)).text, '{"value":"No instances found."}');
  const incident10006 = '65F494258B2AF338182C42C23E423708';
  t.equal((await call(sim, 'DELETE', `incidents('${incident10006}')`)).status, 204);
  t.equal(sim.store.findRecord('task__assignments', '63211AC0B584B7037329BFA67CD8F57B'), undefined, 'its task is gone');
  t.equal(sim.store.notesFor(incident10006).length, 0, 'its notes are gone');
  t.same(sim.store.related('problems', 'DC6B8B076758094D1D3B3B861C8DCE95', 'ProblemAssociatesIncident'), [], 'the problem remains, unlinked');
  t.ok(sim.store.findRecord('problems', 'DC6B8B076758094D1D3B3B861C8DCE95'));
});

t.test('a seed without incidents leaves out their tasks and links', async (t) => {
  const { builtInSeed } = await import('../../src/simulator/index.js');
  const sim = await start({ seed: { ...builtInSeed(), incidents: [], notes: [] } });
  t.teardown(() => sim.close());
  t.equal(sim.store.records('task__assignments')?.length, 2, 'the incident task is left out');
  t.same(sim.store.related('cis', LAPTOP_USER, 'CIAssociatesIncident'), []);
  t.same(ids({ value: sim.store.related('problems', PROBLEM_5001, 'ProblemAssociatesCI') as Array<{ RecId: string }> }), [VPN_GATEWAY]);
});
