/**
 * Faults, against the simulator's fault controls: every fault kind on every request an action
 * makes (the lookup it starts with, then its write). Each answer is the right error or a
 * successful retry, within a bounded time, and no write is doubled: at most one applied POST
 * per create or note, and the store changes by exactly what the journal says was applied.
 * Each case gets its own simulator (faults are per simulator), so cases run side by side.
 */
import t from 'tap';
import { startSimulator, type FaultSpec, type JournalEntry, type Simulator } from '../../src/simulator/index.js';
import { canaryHits, CANARY, pool, recordResults, startStack, tally, type Json, type StepAnswer } from './helpers.js';

// Bounded, with room for a loaded machine: tap's runner would give up after 30 s.

type Action = 'create_incident' | 'update_incident' | 'add_note' | 'delete_incident';
type Outcome = 'ok' | RegExp;

interface FaultCase {
  name: string;
  fault: FaultSpec;
  /** What a lookup (an idempotent GET) ends with. */
  read: Outcome;
  /** What a POST (create, note) ends with, and how many POSTs it applies. */
  post: Outcome;
  postApplied: number | 'at most 1';
  /** What a PATCH or DELETE ends with. */
  write: Outcome;
  /** Longest the step may take (slow cases are run first). */
  maxMs: number;
  /**
   * The connection's request_timeout, in seconds (default 60). Only the cases about the timeout
   * set it short, and their latencies stay far from it on either side: on a busy machine an
   * answer can take a second to arrive, and a short timeout would turn a fault the test means
   * into a timeout (and a retry) it does not.
   */
  timeoutS?: number;
}

const UNAVAILABLE = /unavailable \((502|503)\)/;
const CASES: FaultCase[] = [
  { name: '429 without Retry-After', fault: { kind: 'status', status: 429 }, read: 'ok', post: /rate limiting requests \(429\)/, postApplied: 0, write: 'ok', maxMs: 3_000 },
  { name: '429 with Retry-After: 1', fault: { kind: 'status', status: 429, retryAfter: 1 }, read: 'ok', post: /rate limiting/, postApplied: 0, write: 'ok', maxMs: 4_000 },
  { name: '500 with a JSON body', fault: { kind: 'status', status: 500, body: 'json' }, read: /ISM failed to process .* \(500\)/, post: /ISM failed to process .* \(500\)/, postApplied: 0, write: /\(500\)/, maxMs: 3_000 },
  { name: '500 with an HTML body', fault: { kind: 'status', status: 500, body: 'html' }, read: /\(500\)/, post: /\(500\)/, postApplied: 0, write: /\(500\)/, maxMs: 3_000 },
  { name: '502', fault: { kind: 'status', status: 502 }, read: 'ok', post: UNAVAILABLE, postApplied: 0, write: 'ok', maxMs: 3_000 },
  { name: '503', fault: { kind: 'status', status: 503 }, read: 'ok', post: UNAVAILABLE, postApplied: 0, write: 'ok', maxMs: 3_000 },
  { name: '503 with Retry-After: 1', fault: { kind: 'status', status: 503, retryAfter: 1 }, read: 'ok', post: UNAVAILABLE, postApplied: 0, write: 'ok', maxMs: 4_000 },
  { name: '504', fault: { kind: 'status', status: 504 }, read: 'ok', post: /timed out waiting for it \(504\)/, postApplied: 0, write: 'ok', maxMs: 3_000 },
  { name: 'reset before the write', fault: { kind: 'reset-before' }, read: 'ok', post: /closed before ISM answered/, postApplied: 0, write: 'ok', maxMs: 3_000 },
  { name: 'reset after the write', fault: { kind: 'reset-after' }, read: 'ok', post: /closed before ISM answered.*it may have been saved/, postApplied: 1, write: 'ok', maxMs: 3_000 },
  { name: 'hang', fault: { kind: 'hang' }, read: 'ok', post: /did not answer within 1 s/, postApplied: 0, write: 'ok', maxMs: 4_500, timeoutS: 1 },
  { name: 'invalid JSON', fault: { kind: 'invalid-json' }, read: 'ok', post: /not valid JSON.*probably saved/, postApplied: 1, write: /not valid JSON.*probably saved/, maxMs: 3_000 },
  { name: 'empty body', fault: { kind: 'empty-body' }, read: /No ISM employee|No incident has/, post: /did not return the created (incident|note)/, postApplied: 1, write: 'ok', maxMs: 3_000 },
  { name: 'latency 1000 ms (timeout 10 s)', fault: { kind: 'latency', ms: 1_000 }, read: 'ok', post: 'ok', postApplied: 1, write: 'ok', maxMs: 4_000, timeoutS: 10 },
  { name: 'latency 3000 ms (timeout 1 s)', fault: { kind: 'latency', ms: 3_000 }, read: 'ok', post: /did not answer within 1 s/, postApplied: 'at most 1', write: 'ok', maxMs: 6_000, timeoutS: 1 },
];

/** Where the fault strikes: the action's first lookup, or its write. */
interface Target {
  action: Action;
  stage: 'lookup' | 'write';
  method: string;
  set: string;
}
const TARGETS: Target[] = [
  { action: 'create_incident', stage: 'lookup', method: 'GET', set: 'employees' },
  { action: 'create_incident', stage: 'write', method: 'POST', set: 'incidents' },
  { action: 'update_incident', stage: 'lookup', method: 'GET', set: 'incidents' },
  { action: 'update_incident', stage: 'write', method: 'PATCH', set: 'incidents' },
  { action: 'add_note', stage: 'lookup', method: 'GET', set: 'incidents' },
  { action: 'add_note', stage: 'write', method: 'POST', set: 'journal__notess' },
  { action: 'delete_incident', stage: 'lookup', method: 'GET', set: 'incidents' },
  { action: 'delete_incident', stage: 'write', method: 'DELETE', set: 'incidents' },
];

const EXAMPLE_USER = '9C3DD5203AB14D857E11FCFB2A3FBDDA';

function inputFor(action: Action, incidentNumber: number, tag: string): Json {
  switch (action) {
    case 'create_incident':
      return { summary: `fault ${tag}`, description: 'd', customer: 'user@example.com', status: 'Logged', type: 'Failure' };
    case 'update_incident':
      return { incident_number: incidentNumber, category: 'Software' };
    case 'add_note':
      return { incident_number: incidentNumber, summary: `fault note ${tag}` };
    case 'delete_incident':
      return { incident_number: incidentNumber };
  }
}

const applied = (entries: JournalEntry[], method: string, set: string) => entries.filter((e) => e.method === method && e.set === set && e.applied).length;

t.test('every fault on every request of every action', async (t) => {
  // The runtime's server is shared; each case brings its own tenant (and so its own faults).
  const stack = await startStack();
  t.teardown(() => stack.close());
  const byKind: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  let duplicates = 0;
  let steps = 0;
  let slowest = 0;

  const jobs = CASES.flatMap((c) => TARGETS.map((target) => ({ c, target })));
  // Slow cases first, so the pool ends with short ones.
  jobs.sort((a, b) => b.c.maxMs - a.c.maxMs);
  const results = await pool(jobs, 8, async ({ c, target }) => {
    const sim: Simulator = await startSimulator({ apiKeys: { [CANARY]: 'Administrator' } });
    try {
      const incident = sim.store.createIncident({ Subject: 'target', Symptom: 'target', ProfileLink: EXAMPLE_USER, Status: 'Logged', TypeOfIncident: 'Failure' });
      const number = Number(incident.IncidentNumber);
      const tag = `${c.name} / ${target.action} ${target.stage}`;
      const before = sim.store.counts();
      sim.faults.script({ method: target.method, set: target.set, times: 1, fault: c.fault });
      const r: StepAnswer = await stack.run(target.action, inputFor(target.action, number, tag), stack.connection({ url: sim.url, request_timeout: c.timeoutS ?? 60 }));
      // Let anything the client abandoned (a hang, a slow answer) reach the tenant before counting.
      await new Promise((resolve) => setTimeout(resolve, c.fault.kind === 'latency' ? c.fault.ms : 50));
      const entries = sim.journal.entries();
      const after = sim.store.counts();
      for (const [kind, n] of Object.entries(sim.faults.counts())) if (kind !== 'total') byKind[kind] = (byKind[kind] ?? 0) + n;
      return { c, target, r, entries, before, after, tag };
    } finally {
      await sim.close();
    }
  });

  for (const { c, target, r, entries, before, after, tag } of results) {
    steps++;
    slowest = Math.max(slowest, r.ms);
    const isPost = target.stage === 'write' && target.method === 'POST';
    const expected: Outcome = target.stage === 'lookup' ? c.read : isPost ? c.post : c.write;
    tally(outcomes, expected === 'ok' ? 'recovered' : 'failed cleanly');
    t.equal(canaryHits(r.text), 0, `${tag}: no canary`);
    if (expected === 'ok') {
      t.equal(r.status, 200, `${tag}: recovered (${r.body.error ?? 'ok'})`);
    } else {
      t.equal(r.status, 400, `${tag}: a plugin error, not a crash`);
      t.match(String(r.body.error), expected, `${tag}: the right error`);
    }
    // No duplicate writes.
    const posts = entries.filter((e) => e.method === 'POST');
    const postsApplied = posts.filter((e) => e.applied).length;
    if (postsApplied > 1) duplicates++;
    t.ok(postsApplied <= 1, `${tag}: at most one applied POST (${postsApplied})`);
    if (target.action === 'create_incident') {
      t.equal(after.incidents - before.incidents, applied(entries, 'POST', 'incidents'), `${tag}: one incident per applied POST`);
      if (isPost) {
        const want = c.postApplied;
        if (want === 'at most 1') t.ok(postsApplied <= 1);
        else t.equal(postsApplied, want, `${tag}: ${want} applied`);
        t.equal(posts.length, 1, `${tag}: a POST is never retried once it may have reached ISM`);
      }
    }
    if (target.action === 'add_note') {
      t.equal(after.notes - before.notes, applied(entries, 'POST', 'journal__notess'), `${tag}: one note per applied POST`);
      if (isPost) t.equal(posts.length, 1, `${tag}: one POST`);
    }
    if (target.action === 'delete_incident') {
      const deleted = applied(entries, 'DELETE', 'incidents');
      t.ok(deleted <= 1, `${tag}: deleted at most once (${deleted})`);
      t.equal(before.incidents - after.incidents, deleted, `${tag}: the store agrees with the journal`);
      if (r.status === 200) t.equal(deleted, 1, `${tag}: success means it is gone`);
    }
    if (target.action === 'update_incident' && r.status === 200) {
      t.equal(r.body.output?.incident?.Category, 'Software', `${tag}: the update is in the answer`);
    }
  }

  t.equal(duplicates, 0, 'no duplicate writes');
  recordResults('faults', {
    cases: CASES.map((c) => c.name),
    targets: TARGETS.map((x) => `${x.action} ${x.stage} (${x.method} ${x.set})`),
    steps,
    faultsInjectedByKind: byKind,
    faultsInjected: Object.values(byKind).reduce((a, b) => a + b, 0),
    outcomes,
    duplicates,
    slowestStepMs: Math.round(slowest),
  });
});
