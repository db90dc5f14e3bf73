/**
 * Load: 2,000 mixed actions (create, update, add_note, delete) at concurrency 50 against the
 * runtime's real HTTP server (in its own process, so its memory is its own), with 10% random
 * faults on the simulator (seeded). Every request is answered, nothing crashes, no 5xx, and the
 * tenant reconciles: each successful create left exactly one incident with its subject, no
 * subject has two, a failed create left one only when the journal shows its POST applied,
 * notes sit on the incidents they were added to; the server's memory is stable across rounds.
 */
import t from 'tap';
import { startSimulator, type JournalEntry } from '../../src/simulator/index.js';
import { CANARY, canaryHits, parseJson, pool, recordResults, startServerChild, tally, type Json } from './helpers.js';

// Bounded, with room for a loaded machine: tap's runner would give up after 30 s.

const SEED = Number(process.env.HARDENING_LOAD_SEED ?? 424_242);
const ROUNDS = 2;
const PER_ROUND = 1_000;
const CONCURRENCY = 50;
const FAULT_RATE = 0.1;

t.comment(`load: ${ROUNDS} x ${PER_ROUND} actions, concurrency ${CONCURRENCY}, faults ${FAULT_RATE * 100}% (seed ${SEED})`);

/** mulberry32, for the mix of actions. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'create' | 'update' | 'add_note' | 'delete';

interface Done {
  kind: Kind;
  /** The unique Subject of a create or a note. */
  subject?: string;
  /** The incident number an update, note or delete aimed at. */
  target?: number;
  deletable?: boolean;
  status: number;
  ok: boolean;
  output?: Json;
  error?: string;
}

t.test('2,000 mixed actions at concurrency 50 with 10% faults', async (t) => {
  const sim = await startSimulator({ apiKeys: { [CANARY]: 'Administrator' }, journalLimit: 100_000 });
  t.teardown(() => sim.close());
  const child = await startServerChild({ CHILD_RETRY_AFTER_CAP_MS: '50' });
  t.teardown(() => child.close());
  sim.faults.random({ seed: SEED, rate: FAULT_RATE });

  const connection = { credentials: { secretKey: CANARY }, url: sim.url, ssl_verify: true, request_timeout: 5, connect_timeout: 5 };
  const draw = prng(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(draw() * list.length)]!;
  // Targets of updates and notes (never deleted); incidents created to be deleted.
  const stable: number[] = [10001, 10002, 10003];
  const deletable: number[] = [];
  const byStatus: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const done: Done[] = [];
  const memory: { rss: number; heapUsed: number }[] = [];
  let unanswered = 0;
  let secretsFound = 0;
  const started = performance.now();

  async function one(round: number, i: number): Promise<void> {
    const roll = draw();
    let kind: Kind = roll < 0.4 ? 'create' : roll < 0.65 ? 'update' : roll < 0.9 ? 'add_note' : 'delete';
    if (kind === 'delete' && deletable.length === 0) kind = 'create';
    const tag = `${round}-${i}`;
    let input: Json;
    const record: Partial<Done> = { kind };
    switch (kind) {
      case 'create': {
        record.deletable = draw() < 0.3;
        record.subject = `${record.deletable ? 'del' : 'keep'}-load-${SEED}-${tag}`;
        input = { summary: record.subject, description: 'load', customer: pick(['user@example.com', 'john.doe@example.com', 'alex@example.com']), status: 'Logged', type: 'Failure', ...(draw() < 0.3 ? { assignee: 'jdoe' } : {}) };
        break;
      }
      case 'update':
        record.target = pick(stable);
        input = { incident_number: record.target, ...(draw() < 0.7 ? { category: pick(['Software', 'Hardware', 'Network', 'Email']) } : { assignee: pick(['jdoe', 'user', 'alex']) }) };
        break;
      case 'add_note':
        record.target = pick(stable);
        record.subject = `note-load-${SEED}-${tag}`;
        input = { incident_number: record.target, summary: record.subject, notes: 'load' };
        break;
      case 'delete':
        record.target = deletable.splice(Math.floor(draw() * deletable.length), 1)[0]!;
        input = { incident_number: record.target };
        break;
    }
    const action = kind === 'create' ? 'create_incident' : kind === 'update' ? 'update_incident' : kind === 'delete' ? 'delete_incident' : 'add_note';
    tally(byKind, action);
    let status = 0;
    let text = '';
    try {
      const res = await fetch(`${child.url}/actions/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version: 'v1', type: 'action_start', body: { action, meta: { tag }, connection, input } }),
        signal: AbortSignal.timeout(60_000),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      unanswered++;
      tally(byStatus, `no answer (${(err as Error).name})`);
      return;
    }
    tally(byStatus, status);
    secretsFound += canaryHits(text);
    const json = parseJson(text);
    const ok = status === 200 && json?.body?.status === 'ok';
    const entry: Done = { ...(record as Done), status, ok, output: json?.body?.output, error: json?.body?.error };
    done.push(entry);
    if (ok && kind === 'create') {
      const number = Number(entry.output?.incident?.IncidentNumber);
      (entry.deletable ? deletable : stable).push(number);
    }
  }

  for (let round = 0; round < ROUNDS; round++) {
    const indexes = Array.from({ length: PER_ROUND }, (_, i) => i);
    await pool(indexes, CONCURRENCY, (i) => one(round, i));
    const status = await fetch(`${child.url}/api/v1/status`, { signal: AbortSignal.timeout(5_000) });
    t.equal(status.status, 200, `round ${round + 1}: the server answers its status probe`);
    const m = await child.memory();
    memory.push({ rss: m.rss, heapUsed: m.heapUsed });
  }
  const ms = performance.now() - started;
  sim.faults.clear();

  // Every request answered, no crash, no 5xx.
  t.equal(unanswered, 0, 'every request was answered');
  t.ok(child.alive(), 'the server process is alive');
  t.equal(done.length, ROUNDS * PER_ROUND, `${done.length} answers`);
  const fiveHundreds = done.filter((d) => d.status >= 500);
  t.same(fiveHundreds.map((d) => d.error), [], 'no 5xx (the outputs always match their schemas)');
  t.ok(done.every((d) => d.status === 200 || d.status === 400), 'every answer is 200 or a plugin error (400)');
  t.equal(secretsFound, 0, 'the canary never appears in an answer');

  // Reconciliation against the tenant.
  const journal: JournalEntry[] = sim.journal.entries();
  t.equal(sim.journal.size, sim.journal.total, 'the journal kept every request');
  const appliedPost = (set: string, subject: string) =>
    journal.filter((e) => e.method === 'POST' && e.set === set && e.applied && (e.body as Json | null)?.Subject === subject).length;
  const incidentsBySubject = new Map<string, Json[]>();
  for (const incident of sim.store.incidents()) {
    const list = incidentsBySubject.get(String(incident.Subject)) ?? [];
    list.push(incident);
    incidentsBySubject.set(String(incident.Subject), list);
  }
  const notesBySubject = new Map<string, Json[]>();
  for (const note of sim.store.notes()) {
    const list = notesBySubject.get(String(note.Subject)) ?? [];
    list.push(note);
    notesBySubject.set(String(note.Subject), list);
  }
  const deletedOk = new Set(done.filter((d) => d.kind === 'delete' && d.ok).map((d) => d.target));
  const deleteTried = new Set(done.filter((d) => d.kind === 'delete').map((d) => d.target));

  let duplicates = 0;
  const problems: string[] = [];
  for (const [subject, list] of incidentsBySubject) if (subject.includes('-load-') && list.length > 1) duplicates++;
  for (const [subject, list] of notesBySubject) if (subject.startsWith('note-load-') && list.length > 1) duplicates++;
  let createsOk = 0;
  let createsFailed = 0;
  let failedButSaved = 0;
  for (const d of done.filter((x) => x.kind === 'create')) {
    const found = incidentsBySubject.get(d.subject!) ?? [];
    if (d.ok) {
      createsOk++;
      const number = Number(d.output?.incident?.IncidentNumber);
      if (deletedOk.has(number)) {
        if (found.length !== 0) problems.push(`${d.subject}: deleted, yet ${found.length} left`);
      } else if (deleteTried.has(number)) {
        if (found.length > 1) problems.push(`${d.subject}: ${found.length} incidents`);
      } else if (found.length !== 1 || Number(found[0]!.IncidentNumber) !== number) {
        problems.push(`${d.subject}: created as ${number}, ${found.length} in the store`);
      }
      if (d.output?.incident?.Subject !== d.subject) problems.push(`${d.subject}: the output names another subject`);
    } else {
      createsFailed++;
      const posted = appliedPost('incidents', d.subject!);
      if (found.length > 1) problems.push(`${d.subject}: failed, yet ${found.length} incidents`);
      if (found.length === 1 && posted !== 1) problems.push(`${d.subject}: failed with an incident the journal does not explain`);
      if (found.length === 1) failedButSaved++;
      // A failed create never becomes a delete target: what ISM saved must still be there.
      if (posted === 1 && found.length === 0) problems.push(`${d.subject}: applied but missing`);
    }
  }
  const recIdOf = new Map<number, string>();
  for (const incident of sim.store.incidents()) recIdOf.set(Number(incident.IncidentNumber), String(incident.RecId));
  let notesOk = 0;
  for (const d of done.filter((x) => x.kind === 'add_note')) {
    const found = notesBySubject.get(d.subject!) ?? [];
    if (d.ok) {
      notesOk++;
      if (found.length !== 1) problems.push(`${d.subject}: added, ${found.length} in the store`);
      else if (found[0]!.ParentLink_RecID !== recIdOf.get(d.target!)) problems.push(`${d.subject}: attached to ${String(found[0]!.ParentLink_RecID)}, not incident ${d.target}`);
    } else {
      if (found.length > 1) problems.push(`${d.subject}: failed, yet ${found.length} notes`);
      if (found.length === 1 && appliedPost('journal__notess', d.subject!) !== 1) problems.push(`${d.subject}: failed with a note the journal does not explain`);
    }
  }
  for (const d of done.filter((x) => x.kind === 'delete' && x.ok)) {
    if (sim.store.findIncidentByNumber(d.target!)) problems.push(`incident ${d.target}: deleted, still there`);
  }
  t.same(problems.slice(0, 20), [], `reconciliation: ${problems.length} problem(s)`);
  t.equal(duplicates, 0, 'no subject has two incidents or two notes');

  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  const heapGrowth = memory[1]!.heapUsed - memory[0]!.heapUsed;
  const rssGrowth = memory[1]!.rss - memory[0]!.rss;
  t.ok(heapGrowth < 10 * 1024 * 1024, `server heap after GC: ${memory.map((m) => mb(m.heapUsed)).join(' -> ')} MB`);
  t.ok(rssGrowth < 50 * 1024 * 1024, `server RSS: ${memory.map((m) => mb(m.rss)).join(' -> ')} MB`);

  const faults = sim.faults.counts();
  recordResults('load', {
    seed: SEED,
    requests: done.length + unanswered,
    concurrency: CONCURRENCY,
    faultRate: FAULT_RATE,
    actionsByKind: byKind,
    answersByStatus: byStatus,
    unanswered,
    ismRequests: journal.length,
    faultsInjectedByKind: Object.fromEntries(Object.entries(faults).filter(([k]) => k !== 'total')),
    faultsInjected: faults.total,
    createsSucceeded: createsOk,
    createsFailed,
    failedCreatesSavedByIsm: failedButSaved,
    notesSucceeded: notesOk,
    duplicates,
    reconciliationProblems: problems.length,
    secretsFound,
    serverHeapUsedMB: memory.map((m) => mb(m.heapUsed)),
    serverRssMB: memory.map((m) => mb(m.rss)),
    seconds: Math.round(ms / 100) / 10,
    actionsPerSecond: Math.round((done.length / ms) * 1000),
  });
});
