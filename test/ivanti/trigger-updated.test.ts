/**
 * Updated Incident fires once for every change (RecId plus LastModDateTime) made after it
 * started: bursts larger than a page, changes that commit late with an earlier time, the same
 * incident changed twice, restarts in the middle; changes by the API key's own user are left
 * out when asked; the tenant's offsets are normalised before comparing.
 */
import t from 'tap';
import { setTimeout as realSleep } from 'node:timers/promises';
import type { Connection } from '../../src/generated/types.js';
import { IsmConnection } from '../../src/ivanti/ism-connection.js';
import type { TriggerState } from '../../src/runtime/plugin.js';
import type { StepLogger } from '../../src/runtime/step-log.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { FAST_RETRY, KEY, SEED } from './helpers.js';
import { checks, memoryState, until } from './trigger-harness.js';

t.setTimeout(240_000);

const { updatedIncident } = await t.mockImport<typeof import('../../src/ivanti/triggers/updated_incident.js')>('../../src/ivanti/triggers/updated_incident.js', {
  // Checks every 20 ms instead of every `frequency` seconds.
  'node:timers/promises': { setTimeout: (_ms: number, value: unknown, options?: { signal?: AbortSignal }) => realSleep(20, value, options) },
});

const quiet: StepLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** The tenant's clock, seven hours west of UTC, moved by the tests only. */
class Clock {
  ms = Date.parse('2026-12-05T09:00:00Z');
  readonly now = () => new Date(this.ms);
  tick(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

interface Running {
  /** `<RecId>@<LastModDateTime as ISM wrote it>` of each event, in order. */
  delivered: string[];
  stop(): Promise<void>;
}

const changeOf = (incident: Record<string, unknown>) => `${String(incident.RecId)}@${String(incident.LastModDateTime)}`;

function start(sim: Simulator, state: TriggerState, input: Record<string, unknown> = {}, slow = false): Running {
  const connection = new IsmConnection({ credentials: { secretKey: KEY }, url: sim.url, ssl_verify: true } as Connection, { retry: FAST_RETRY });
  const controller = new AbortController();
  const delivered: string[] = [];
  const emitter = {
    emit: async (event: { incident: Record<string, unknown> }) => {
      delivered.push(changeOf(event.incident));
      if (slow) await realSleep(2);
    },
  };
  const done = updatedIncident.run({ frequency: 1, overlap: 300, ignore_changes_by: '', ...input } as never, { connection, log: quiet, meta: {}, emitter, signal: controller.signal, state } as never);
  return {
    delivered,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

async function simulator(clock: Clock, admin = false): Promise<Simulator> {
  return startSimulator({ apiKeys: { [KEY]: { role: 'Administrator', user: 'svc_soar' } }, clock: clock.now, utcOffsetMinutes: -420, admin });
}

/** Incidents created before the trigger starts: history, never delivered. */
function createMany(sim: Simulator, count: number): number[] {
  const numbers: number[] = [];
  for (let i = 0; i < count; i++) numbers.push(Number(sim.store.createIncident({ Subject: `probe ${i}`, Symptom: 'probe', ProfileLink: SEED.exampleUser }).IncidentNumber));
  return numbers;
}

const update = (sim: Simulator, number: number, subject: string, at?: Date) => changeOf(sim.store.updateIncident(number, { Subject: subject }, { user: 'analyst', ...(at ? { at } : {}) }));

const sorted = (list: string[]) => [...list].sort();

t.test('a burst larger than a page, changes out of order and repeated changes: each change once', async (t) => {
  const clock = new Clock();
  const sim = await simulator(clock);
  t.teardown(() => sim.close());
  const numbers = createMany(sim, 150);
  const state = memoryState();
  const trigger = start(sim, state);
  t.teardown(() => trigger.stop());
  await until('the trigger to start watching', () => state.saved !== undefined);
  await checks(sim, 3);
  t.same(trigger.delivered, [], 'history is not replayed');

  // 150 changes within one second, in chunks while the trigger checks: more than a page (100)
  // shares one LastModDateTime, so only paging by (time, RecId) reads them all.
  clock.tick(1);
  const expected: string[] = [];
  for (let i = 0; i < numbers.length; i += 25) {
    for (const n of numbers.slice(i, i + 25)) expected.push(update(sim, n, `burst ${n}`));
    await realSleep(5);
  }
  await until('the burst', () => trigger.delivered.length >= 150);

  // The same incidents changed again later fire again; a change that commits late, stamped
  // before changes already delivered, still fires once.
  clock.tick(10);
  for (const n of numbers.slice(0, 20)) expected.push(update(sim, n, `again ${n}`));
  await until('the second changes', () => trigger.delivered.length >= 170);
  expected.push(update(sim, numbers[140]!, 'committed late', new Date(clock.ms - 5_000)));
  await until('the late change', () => trigger.delivered.length >= 171);
  await checks(sim, 10);

  t.equal(trigger.delivered.length, 171, 'one event per change');
  t.equal(new Set(trigger.delivered).size, 171, 'no change twice');
  t.same(sorted(trigger.delivered), sorted(expected), 'exactly the changes made');
  t.equal(trigger.delivered.at(-1), expected.at(-1), 'the late change last');
  const first = trigger.delivered.filter((c) => c.startsWith(String(sim.store.findIncidentByNumber(numbers[0]!)!.RecId)));
  t.equal(first.length, 2, 'an incident changed twice fired twice');
  t.not(first[0], first[1]);
  t.match(trigger.delivered[0], /-07:00$/, 'the incident as ISM answers it, in the tenant offset');
});

t.test('a restart in the middle of a burst repeats nothing and misses nothing', async (t) => {
  const clock = new Clock();
  const sim = await simulator(clock);
  t.teardown(() => sim.close());
  const numbers = createMany(sim, 135);
  const [burst, others] = [numbers.slice(0, 120), numbers.slice(120)];
  const state = memoryState();
  let trigger = start(sim, state, {}, true);
  await until('the trigger to start watching', () => state.saved !== undefined);

  clock.tick(1);
  const expected = burst.map((n) => update(sim, n, `burst ${n}`));
  await until('part of the burst', () => trigger.delivered.length >= 30);
  await trigger.stop();
  const before = [...trigger.delivered];
  t.ok(before.length < 120, `stopped in the middle (${before.length} of 120)`);

  // While it is stopped: new changes, incidents delivered before changed again, and a change
  // that commits late within the overlap. (A change overwritten before the trigger reads it
  // is seen as the later change only: ISM shows records as they are now.)
  clock.tick(5);
  for (const n of others.slice(0, 10)) expected.push(update(sim, n, `while stopped ${n}`));
  for (const change of before.slice(0, 5)) expected.push(changeOf(sim.store.updateIncident(change.split('@')[0]!, { Subject: 'again' }, { user: 'analyst' })));
  expected.push(update(sim, others[10]!, 'late', new Date(clock.ms - 3_000)));

  trigger = start(sim, state);
  t.teardown(() => trigger.stop());
  await until('the rest', () => before.length + trigger.delivered.length >= expected.length);
  await checks(sim, 10);
  const all = [...before, ...trigger.delivered];
  t.equal(all.length, expected.length, 'one event per change across the restart');
  t.same(sorted(all), sorted(expected), 'no change repeated, none missed');
  t.match(state.saved, { last: /Z$/, floor: /Z$/ }, 'the checkpoint is kept in UTC');
});

t.test("changes by the API key's own user are left out when asked", async (t) => {
  const clock = new Clock();
  const sim = await simulator(clock, true);
  t.teardown(() => sim.close());
  const state = memoryState();
  const trigger = start(sim, state, { ignore_changes_by: 'SVC_SOAR' });
  t.teardown(() => trigger.stop());
  await until('the trigger to start watching', () => state.saved !== undefined);

  // Through the API with the key: ISM records the key's login as LastModBy.
  clock.tick(1);
  const own = await fetch(`${sim.url}/api/odata/businessobject/incidents('${SEED.incident10001}')`, {
    method: 'PATCH',
    headers: { authorization: `rest_api_key=${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ Subject: 'changed by the workflow' }),
  });
  t.equal(own.status, 200);
  t.equal(((await own.json()) as Record<string, unknown>).LastModBy, 'svc_soar', "the key's login is recorded");

  // By someone else, through the simulator's admin route.
  clock.tick(1);
  const other = await fetch(`${sim.origin}/__sim/store/incidents/10002`, { method: 'POST', body: JSON.stringify({ fields: { Subject: 'changed by an analyst' }, user: 'analyst' }) });
  t.equal(other.status, 200);
  const changed = (await other.json()) as Record<string, unknown>;
  t.match(changed, { LastModBy: 'analyst', LastModDateTime: '2026-12-05T02:00:02-07:00' }, 'the change carries its author and the tenant offset');

  await until('the change by someone else', () => trigger.delivered.length >= 1);
  await checks(sim, 10);
  t.same(trigger.delivered, [changeOf(changed)], 'only the change by someone else');
});

t.test('the admin route refuses a change it cannot make', async (t) => {
  const clock = new Clock();
  const sim = await simulator(clock, true);
  t.teardown(() => sim.close());
  const post = (path: string, body: unknown) => fetch(`${sim.origin}/__sim/store/incidents/${path}`, { method: 'POST', body: JSON.stringify(body) });
  t.equal((await post('99999', { fields: { Subject: 'x' } })).status, 404);
  t.equal((await post('10001', { fields: 'x' })).status, 400);
  t.equal((await post('10001', { fields: { Subject: 'x' }, at: 'yesterday' })).status, 400);
  const late = await post('10001', { fields: { Subject: 'x' }, at: '2026-12-05T08:00:00Z' });
  t.match(await late.json(), { LastModDateTime: '2026-12-05T01:00:00-07:00', LastModBy: 'admin' });
});

t.test('the window is read with bare UTC times, ascending', async (t) => {
  const clock = new Clock();
  const sim = await simulator(clock);
  t.teardown(() => sim.close());
  const state = memoryState();
  const trigger = start(sim, state, { overlap: 60 });
  t.teardown(() => trigger.stop());
  await until('the trigger to start watching', () => state.saved !== undefined);
  clock.tick(120);
  update(sim, 10001, 'moved on');
  await until('the change', () => trigger.delivered.length >= 1);
  await checks(sim, 2);
  const reads = sim.journal.entries().filter((e) => e.set === 'incidents' && e.query.$filter !== undefined);
  t.ok(reads.length > 0);
  for (const read of reads) {
    t.match(read.query.$filter, /^LastModDateTime ge \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'bare UTC');
    t.equal(read.query.$orderby, 'LastModDateTime asc,RecId asc');
  }
  // The change at 02:02:00-07:00 is 09:02:00Z; the window starts 60 s before it.
  t.equal(reads.at(-1)!.query.$filter, 'LastModDateTime ge 2026-12-05T09:01:00Z', 'offsets normalised before the window is computed');
});

t.test('bad inputs are refused naming the field', async (t) => {
  t.throws(() => updatedIncident.checkInput!({ frequency: 0, overlap: 300 } as never), /'frequency' must be a whole number at least 1/);
  t.throws(() => updatedIncident.checkInput!({ frequency: 10, overlap: -1 } as never), /'overlap' must be a whole number from 0 to 86400/);
  t.throws(() => updatedIncident.checkInput!({ frequency: 10, overlap: 86_401 } as never), /'overlap'/);
  t.throws(() => updatedIncident.checkInput!({ frequency: 10, overlap: 1.5 } as never), /'overlap'/);
  t.doesNotThrow(() => updatedIncident.checkInput!({ frequency: 10, overlap: 0 } as never));
});
