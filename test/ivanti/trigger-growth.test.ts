/**
 * The New Incident trigger runs for months on one long-lived signal: each poll must leave
 * nothing behind on it (abort listeners hold their request) and nothing on the heap. The
 * trigger's wait between checks is shortened to 10 ms through its timer import, so 600 polls
 * run in seconds against the in-process simulator.
 */
import t from 'tap';
import { getEventListeners } from 'node:events';
import { setTimeout as realSleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Connection } from '../../src/generated/types.js';
import { IsmConnection } from '../../src/ivanti/ism-connection.js';
import type { TriggerState } from '../../src/runtime/plugin.js';
import type { StepLogger } from '../../src/runtime/step-log.js';
import { startSimulator } from '../../src/simulator/index.js';
import { FAST_RETRY, KEY, SEED } from './helpers.js';

setFlagsFromString('--expose-gc');
// The heap is measured without the optimising compilers, whose code keeps growing for
// thousands of polls (a heap-snapshot diff shows only compiled code and its metadata growing,
// more so on a busy machine where optimisation comes later): what is measured is data.
setFlagsFromString('--no-opt');
setFlagsFromString('--no-maglev');
const gc = runInNewContext('gc') as () => void;

/** Polls before the first measurement: V8 keeps compiling and optimising the code this long. */
const WARM_UP = 200;
/** The 600 polls measured come after the warm-up. */
const POLLS = WARM_UP + 600;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

t.test(`${POLLS - WARM_UP} polls after a warm-up leave no listener on the trigger's signal and no growth on the heap`, async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' }, journalLimit: 0 });
  t.teardown(() => sim.close());

  const stop = new AbortController();
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));

  const listeners = () => getEventListeners(stop.signal, 'abort').length;
  const perPoll: number[] = [];
  let polls = 0;
  let heapAtWarmUp = 0;
  let heapAtEnd = 0;

  // Every wait of the trigger becomes 10 ms; the listener count is read at each wait, when no
  // request is in flight, and the heap is measured after the warm-up and at the last poll.
  const { newIncident } = await t.mockImport<typeof import('../../src/ivanti/triggers/new_incident.js')>(
    '../../src/ivanti/triggers/new_incident.js',
    {
      'node:timers/promises': {
        setTimeout: async (_ms: number, value: unknown, options?: { signal?: AbortSignal }) => {
          polls++;
          perPoll.push(listeners());
          // Incidents arrive during the warm-up, so the polls read rows as well as empty answers.
          if (polls < WARM_UP) sim.store.createIncident({ Subject: `Growth ${polls}`, Symptom: 'Created while the trigger runs', ProfileLink: SEED.exampleUser });
          if (polls === WARM_UP) heapAtWarmUp = heapAfterGc();
          if (polls >= POLLS) {
            heapAtEnd = heapAfterGc();
            stop.abort();
          }
          return realSleep(10, value, options);
        },
      },
    },
  );

  const connection = new IsmConnection({ credentials: { secretKey: KEY }, url: sim.url, ssl_verify: true } as Connection, { retry: FAST_RETRY });
  const quiet: StepLogger = { debug() {}, info() {}, warn() {}, error() {} };
  let saved: Record<string, unknown> | undefined;
  const state: TriggerState = { load: async () => saved, save: async (s) => { saved = s; } };
  let events = 0;
  const emitter = { emit: async () => { events++; } };

  const before = listeners();
  await newIncident.run({ frequency: 1 } as never, { connection, log: quiet, meta: {}, emitter, signal: stop.signal, state } as never);

  t.ok(polls >= POLLS, `the trigger polled ${polls} times`);
  t.ok(events > 0, `incidents were delivered while polling (${events})`);
  t.equal(Math.max(...perPoll), before, 'no poll left an abort listener on the trigger\'s signal');
  t.equal(perPoll.at(-1), before, 'the listener count is back to its first value');
  t.same(warnings.filter((w) => /MaxListeners/.test(w)), [], 'no MaxListenersExceededWarning');
  const growth = heapAtEnd - heapAtWarmUp;
  t.ok(growth < 1024 * 1024, `heap after GC grew ${(growth / 1024).toFixed(0)} KiB between poll ${WARM_UP} and poll ${POLLS} (limit 1 MiB)`);
});
