/**
 * ISM numbers an incident when its create starts, so two creates can commit out of order: a
 * number appears after a higher one was already seen. The New Incident trigger re-reads a window
 * of numbers below its checkpoint on every check and delivers what it has not delivered yet,
 * once, across restarts; the window's width is its `look_back` input.
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

const { newIncident } = await t.mockImport<typeof import('../../src/ivanti/triggers/new_incident.js')>('../../src/ivanti/triggers/new_incident.js', {
  // Checks every 20 ms instead of every `frequency` seconds.
  'node:timers/promises': { setTimeout: (_ms: number, value: unknown, options?: { signal?: AbortSignal }) => realSleep(20, value, options) },
});

const quiet: StepLogger = { debug() {}, info() {}, warn() {}, error() {} };

interface Running {
  delivered: number[];
  stop(): Promise<void>;
}

function start(sim: Simulator, state: TriggerState, input: Record<string, unknown> = {}): Running {
  const connection = new IsmConnection({ credentials: { secretKey: KEY }, url: sim.url, ssl_verify: true } as Connection, { retry: FAST_RETRY });
  const controller = new AbortController();
  const delivered: number[] = [];
  const emitter = { emit: async (event: { incident: { IncidentNumber?: number } }) => void delivered.push(Number(event.incident.IncidentNumber)) };
  const done = newIncident.run({ frequency: 1, ...input } as never, { connection, log: quiet, meta: {}, emitter, signal: controller.signal, state } as never);
  return {
    delivered,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

const create = (sim: Simulator) => Number(sim.store.createIncident({ Subject: 'probe', Symptom: 'probe', ProfileLink: SEED.exampleUser }).IncidentNumber);
const release = (sim: Simulator, n: number) => sim.store.releaseIncident(n, { Subject: 'late', Symptom: 'late', ProfileLink: SEED.exampleUser });

t.test('an incident that commits after a higher one is delivered once, also across a restart', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const state = memoryState();

  let trigger = start(sim, state);
  await until('the trigger to start watching', () => state.saved !== undefined);
  const held = sim.store.holdIncidentNumber();
  const later = [create(sim), create(sim), create(sim)];
  await until('the three visible incidents', () => trigger.delivered.length >= 3);
  t.same(trigger.delivered, later, 'the visible incidents, in order');

  release(sim, held);
  await until('the late incident', () => trigger.delivered.length >= 4);
  await checks(sim, 10);
  t.same(trigger.delivered, [...later, held], 'the late incident once, nothing twice, no history');

  // A restart re-reads the same window from the saved state: nothing is delivered again,
  // and a late incident held across the restart still arrives.
  const heldAcross = sim.store.holdIncidentNumber();
  const more = create(sim);
  await until('the next visible incident', () => trigger.delivered.length >= 5);
  await trigger.stop();
  trigger = start(sim, state);
  await checks(sim, 5);
  t.same(trigger.delivered, [], 'nothing repeated after the restart');
  release(sim, heldAcross);
  await until('the incident held across the restart', () => trigger.delivered.length >= 1);
  await checks(sim, 10);
  t.same(trigger.delivered, [heldAcross], 'delivered once after the restart');
  t.ok(more > heldAcross);
  await trigger.stop();
});

t.test('look_back sets the window: with 0 a late incident is not looked for', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const state = memoryState();
  const trigger = start(sim, state, { look_back: 0 });
  t.teardown(() => trigger.stop());
  await until('the trigger to start watching', () => state.saved !== undefined);
  const held = sim.store.holdIncidentNumber();
  const later = create(sim);
  await until('the visible incident', () => trigger.delivered.length >= 1);
  release(sim, held);
  await checks(sim, 10);
  t.same(trigger.delivered, [later], 'only what is above the checkpoint');
});

t.test('look_back is bounded, with an error naming it', async (t) => {
  t.throws(() => newIncident.checkInput!({ frequency: 10, look_back: -1 } as never), /'look_back' must be a whole number from 0 to 1000/);
  t.throws(() => newIncident.checkInput!({ frequency: 10, look_back: 1001 } as never), /'look_back'/);
});
