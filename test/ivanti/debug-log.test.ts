/**
 * Logs an operator can use: at debug level every ISM request is logged (method, decoded path,
 * status, attempt, ms, bytes; never a header or the key); every log line of a step carries its
 * step id, the orchestrator's job id and the step's name; a trigger's stderr is JSON lines only.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { KEY, assertNoSecret, sampleInput, type Json } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The shipped build (npm test builds it first): no test loader between Node and the plugin.
const CLI = join(ROOT, 'dist', 'cli.js');

function message(sim: Simulator, action: string, input: Json, job: string): Json {
  return { version: 'v1', type: 'action_start', body: { action, meta: { job }, connection: { credentials: { secretKey: KEY }, url: sim.url, ssl_verify: true }, input } };
}

async function run(body: Json, env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args, 'run'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.end(JSON.stringify(body));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

const jsonLines = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Json);

t.test('debug level: each ISM request is logged, without a header or the key', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const r = await run(message(sim, 'create_incident', sampleInput('create_incident'), 'job-4711'), { LOG_LEVEL: 'debug' });
  t.equal(r.code, 0, 'exit 0');
  const lines = jsonLines(r.stderr);
  const requests = lines.filter((l) => typeof l.msg === 'string' && /^ISM (GET|POST|PATCH|PUT|DELETE) /.test(l.msg as string));
  t.ok(requests.length >= 2, `${requests.length} ISM requests logged`);
  const post = requests.find((l) => /^ISM POST incidents: 201, attempt 1, \d+ ms, \d+ bytes\.$/.test(l.msg as string));
  t.ok(post, 'the create: method, path, status, attempt, ms and bytes');
  t.ok(requests.some((l) => /^ISM GET employees\?\$filter=.* eq '/.test(l.msg as string)), 'a lookup, its path decoded');
  for (const line of lines.filter((l) => l.stepLog)) {
    t.match(line, { step: 'create_incident', job: 'job-4711', stepId: /^[0-9a-z]+-[0-9a-z]+$/ }, `step fields on "${String(line.msg).slice(0, 40)}"`);
  }
  assertNoSecret(r.stderr + r.stdout, 'the debug log');
  t.notMatch(r.stderr, /rest_api_key|authorization/i, 'no header');
  const envelope = JSON.parse(r.stdout) as { body: { log: string } };
  t.match(envelope.body.log, /DEBUG ISM POST incidents: 201/, 'the step log has them too when asked for');
});

t.test('info level: no request lines, in the process log or the step log', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const r = await run(message(sim, 'create_incident', sampleInput('create_incident'), 'job-1'), { LOG_LEVEL: 'info' });
  t.equal(r.code, 0);
  t.notMatch(r.stderr, /"msg":"ISM (GET|POST)/);
  t.notMatch((JSON.parse(r.stdout) as { body: { log: string } }).body.log, /DEBUG/);
});

t.test("a trigger's stderr is JSON lines only, Node's warnings included", async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const start = { version: 'v1', type: 'trigger_start', body: { trigger: 'new_incident', meta: { job: 'watch' }, connection: { credentials: { secretKey: KEY }, url: sim.url, ssl_verify: true }, input: { frequency: 1 } } };
  // A module loaded before the plugin emits a warning every 200 ms, from start to stop.
  const warn = `data:text/javascript,setInterval(() => process.emitWarning('a probe warning', 'ProbeWarning'), 200).unref()`;
  const child = spawn(process.execPath, ['--import', warn, CLI, '--debug', 'run'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.end(JSON.stringify(start));
  const started = () => stderr.indexOf('"msg":"trigger started"');
  for (let i = 0; i < 600 && !(started() >= 0 && stderr.slice(started()).includes('"warning":"ProbeWarning"')); i++) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGTERM');
  await once(child, 'close');
  // Before the trigger runs (Node loading the code), Node prints warnings its own way; from the
  // trigger's start on, every line is JSON.
  t.ok(started() >= 0, 'the trigger started');
  const lines = stderr.slice(started()).split('\n').slice(1).filter(Boolean);
  t.ok(lines.length > 0);
  for (const line of lines) t.doesNotThrow(() => JSON.parse(line), `JSON: ${line.slice(0, 80)}`);
  t.ok(jsonLines(lines.join('\n')).some((l) => l.warning === 'ProbeWarning' && l.msg === 'a probe warning'), 'the warning is a log line');
});
