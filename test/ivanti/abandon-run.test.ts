/**
 * `run` stopped by SIGTERM or SIGINT mid-step (the built command line, as an orchestrator runs
 * it): no write the step had not sent yet, one error envelope on stdout, exit 1; a write already
 * on its way is awaited and its outcome logged.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { KEY, type Json } from './helpers.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const create = { summary: 'Phishing report', description: 'Reported by the SOC', customer: 'user@example.com', status: 'Logged', type: 'Failure' };

interface Stopped {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `run` with a create_incident message and sends `signal` once ISM saw `method set`. */
function runAndStop(sim: Simulator, signal: NodeJS.Signals, method: string, set: string): Promise<Stopped> {
  const message = { version: 'v1', type: 'action_start', body: { action: 'create_incident', meta: {}, connection: { credentials: { secretKey: KEY }, url: sim.url }, input: create } };
  const mark = sim.journal.total;
  const child = spawn(process.execPath, [CLI, 'run'], { env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.end(JSON.stringify(message));
  const exited = new Promise<Stopped>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  void (async () => {
    while (!sim.journal.since(mark).some((e) => e.method === method && e.set === set)) await sleep(5);
    child.kill(signal);
  })();
  return exited;
}

function envelope(stdout: string): Json {
  const lines = stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== 1) throw new Error(`stdout is not one envelope: ${stdout}`);
  return JSON.parse(lines[0]!) as Json;
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`${signal} during a slow lookup: no incident, one error envelope, exit 1`, async (t) => {
    const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
    t.teardown(() => sim.close());
    const before = sim.store.counts().incidents;
    sim.faults.script({ method: 'GET', set: 'employees', fault: { kind: 'latency', ms: 1_500 } });
    const mark = sim.journal.total;
    const result = await runAndStop(sim, signal, 'GET', 'employees');
    t.equal(result.code, 1, result.stderr.slice(-500));
    const body = envelope(result.stdout).body as Json;
    t.equal(body.status, 'error');
    t.match(body.exception.cause, new RegExp(`The plugin was stopped \\(${signal}\\) before the step finished`));
    await sleep(3_000);
    t.equal(sim.store.counts().incidents, before, 'no incident was created');
    t.same(sim.journal.since(mark).filter((e) => e.method !== 'GET'), [], 'no write reached ISM');
  });
}

// Child processes and waits in the tenant take a while on a busy machine; every wait is still bounded.

t.test('SIGTERM while the create is on its way: awaited, applied once, logged', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const before = sim.store.counts().incidents;
  sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'latency', ms: 1_000 } });
  const result = await runAndStop(sim, 'SIGTERM', 'POST', 'incidents');
  t.equal(sim.store.counts().incidents, before + 1, 'the create ISM had received was applied, once');
  t.match(result.stderr, /The step was stopped while POST incidents was on its way to ISM; ISM answered 201/);
  const body = envelope(result.stdout).body as Json;
  t.equal(body.status, 'ok', 'the step finished: its answer says what was created');
  t.equal(result.code, 0);
});
