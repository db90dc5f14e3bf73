/** The `http` command as a child process: it serves, and SIGTERM/SIGINT stop it gracefully. */
import t from 'tap';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Agent, request } from 'node:http';
import { actionStart, HELLO_CLI, ROOT, SECRET, type Json } from './helpers.js';


interface ServingChild {
  child: ChildProcessWithoutNullStreams;
  port: number;
  stderr(): string;
  /** Resolves when a pino line matching `test` has been written. */
  waitForLog(test: (line: Json) => boolean, what: string): Promise<Json>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function serve(extra: string[] = []): Promise<ServingChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', HELLO_CLI, 'http', '--port', '0', '--host', '127.0.0.1', ...extra], { cwd: ROOT, stdio: 'pipe' });
  let stderr = '';
  let stdout = '';
  const waiters: Array<{ test: (line: Json) => boolean; resolve: (line: Json) => void }> = [];
  const seen: Json[] = [];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    const before = stderr.split('\n').length - 1;
    stderr += chunk.toString('utf8');
    const lines = stderr.split('\n');
    for (const text of lines.slice(before, -1)) {
      let line: Json;
      try {
        line = JSON.parse(text) as Json;
      } catch {
        // Reported by the stderr assertion at the end of the test.
        line = { notJson: text };
      }
      seen.push(line);
      for (const w of [...waiters]) {
        if (w.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const waitForLog = (test: (line: Json) => boolean, what: string) =>
    new Promise<Json>((resolve, reject) => {
      const found = seen.find(test);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error(`no log line '${what}' within 120 s; stderr: ${stderr}; stdout: ${stdout}`)), 120_000);
      waiters.push({ test, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`the server exited before logging '${what}'; stderr: ${stderr}`));
      });
    });
  return waitForLog((l) => l.msg === 'plugin server listening', 'listening').then(
    (line) => ({ child, port: (line.address as { port: number }).port, stderr: () => stderr, waitForLog, exited }),
    (err: unknown) => {
      child.kill('SIGKILL');
      throw err;
    },
  );
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Json;
}

function send(port: number, method: string, path: string, body: unknown, agent: Agent | false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { host: '127.0.0.1', port, method, path, agent, timeout: 30_000, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text) as Json }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`on ${signal} an in-flight step finishes with its full answer, new requests are refused, and the process exits 0`, async (t) => {
    const server = await serve();
    t.teardown(() => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    });
    // Orchestrators keep connections alive; shutdown must not wait for an idle one to time out.
    const agent = new Agent({ keepAlive: true });
    t.teardown(() => agent.destroy());

    const status = await send(server.port, 'GET', '/api/v1/status', undefined, agent);
    t.same(status.json, { status: 'Ready' }, 'it serves');
    const warm = await send(server.port, 'POST', '/actions/say_hello', actionStart({ name: 'Ada' }), agent);
    t.equal(warm.status, 200);

    const slow = send(server.port, 'POST', '/actions/say_hello', actionStart({ name: 'sleep:1500' }, { meta: { job: 'slow' } }), agent);
    await server.waitForLog((l) => l.msg === 'greeting sleep:1500', 'the slow step started');
    server.child.kill(signal);
    await server.waitForLog((l) => l.msg === 'stopping: finishing in-flight steps', 'stopping');

    const refused = await send(server.port, 'GET', '/api/v1/status', undefined, false).then(
      (r) => `answered ${r.status}`,
      (err: NodeJS.ErrnoException) => err.code ?? err.message,
    );
    t.match(refused, /^(ECONNREFUSED|ECONNRESET|answered 503)$/, `a new request during shutdown is refused (${refused})`);

    const answer = await slow;
    t.equal(answer.status, 200, 'the in-flight step completed');
    t.match(answer.json, { version: 'v1', type: 'action_event', body: { status: 'ok', meta: { job: 'slow' }, output: { message: 'Hello, sleep:1500!' } } });
    t.match((answer.json.body as Json).log, /greeting sleep:1500/);

    const exit = await server.exited;
    t.same(exit, { code: 0, signal: null }, 'the process exits 0');
    t.ok(server.stderr().includes('"msg":"stopped"'), 'it logged that it stopped');
    t.notOk(server.stderr().includes(SECRET), 'the secret is not on stderr');
    for (const line of server.stderr().split('\n').filter(Boolean)) t.doesNotThrow(() => JSON.parse(line), 'stderr carries JSON lines only');
  });
}

t.test('a step still running when the grace period ends is answered with an error envelope, and the process exits 0', async (t) => {
  const server = await serve(['--shutdown-grace', '1']);
  t.teardown(() => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  });
  const slow = send(server.port, 'POST', '/actions/say_hello', actionStart({ name: 'sleep:10000' }, { meta: { job: 'long' } }), false);
  await server.waitForLog((l) => l.msg === 'greeting sleep:10000', 'the long step started');
  server.child.kill('SIGTERM');
  await server.waitForLog((l) => l.msg === 'stopping: finishing in-flight steps', 'stopping');
  const answer = await slow;
  t.equal(answer.status, 400, 'the step is answered, not cut');
  t.match(answer.json, { version: 'v1', type: 'action_event', body: { status: 'error', meta: { job: 'long' }, error: /shutting down/ } });
  t.match((answer.json.body as Json).log, /stopped before the greeting/, 'the step saw its signal and stopped');
  t.same(await server.exited, { code: 0, signal: null }, 'the process exits 0');
  t.match(server.stderr(), /"graceSeconds":1/, 'the grace period is logged');
});

t.test('the grace period defaults to 8 s, and a bad one is a usage error', async (t) => {
  const server = await serve();
  t.teardown(() => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  });
  server.child.kill('SIGTERM');
  const stopping = await server.waitForLog((l) => l.msg === 'stopping: finishing in-flight steps', 'stopping');
  t.equal(stopping.graceSeconds, 8);
  await server.exited;
  const bad = spawn(process.execPath, ['--import', 'tsx', HELLO_CLI, 'http', '--port', '0', '--shutdown-grace', 'soon'], { cwd: ROOT, stdio: 'pipe' });
  let stderr = '';
  bad.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise((resolve) => bad.on('close', resolve));
  t.equal(code, 2);
  t.match(stderr, /--shutdown-grace/);
});

t.test('a second signal stops at once: the in-flight request is cut and the process exits 1', async (t) => {
  const server = await serve();
  t.teardown(() => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  });
  const slow = send(server.port, 'POST', '/actions/say_hello', actionStart({ name: 'sleep:2000' }), false).then(
    (r) => `answered ${r.status}`,
    (err: NodeJS.ErrnoException) => err.code ?? err.message,
  );
  await server.waitForLog((l) => l.msg === 'greeting sleep:2000', 'the slow step started');
  server.child.kill('SIGTERM');
  await server.waitForLog((l) => l.msg === 'stopping: finishing in-flight steps', 'stopping');
  server.child.kill('SIGTERM');
  await server.waitForLog((l) => l.msg === 'second signal: exiting now', 'second signal');
  t.match(await slow, /^(ECONNRESET|socket hang up)$/, 'the in-flight request was cut');
  t.same(await server.exited, { code: 1, signal: null }, 'the process exits 1');
});

t.test('--workers 2: two processes share the port, one that dies is replaced, SIGTERM stops them all', async (t) => {
  const server = await serve(['--workers', '2']);
  t.teardown(() => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  });
  await server.waitForLog((l) => l.msg === 'all workers listening', 'all workers listening');
  const listeningPids = () =>
    [...new Set(server.stderr().split('\n').filter((line) => line.includes('"plugin server listening"')).map((line) => (JSON.parse(line) as Json).pid as number))];
  // Each worker logs its own line, asynchronously: it may come after the supervisor's.
  const untilListening = async (n: number) => {
    const deadline = Date.now() + 60_000;
    while (listeningPids().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  };
  await untilListening(2);
  const first = listeningPids();
  t.equal(first.length, 2, 'two server processes');
  t.notOk(first.includes(server.child.pid!), 'neither is the supervisor');
  const hello = async (name: string) => (await send(server.port, 'POST', '/actions/say_hello', actionStart({ name }), false)).status;
  t.same(await Promise.all(Array.from({ length: 10 }, (_, i) => hello(`Ada ${i}`))), Array(10).fill(200), 'steps on new connections are served');

  process.kill(first[0]!, 'SIGKILL');
  await server.waitForLog((l) => l.msg === 'a worker died: starting another' && l.pid === server.child.pid, 'the death noticed');
  await untilListening(3);
  t.equal(listeningPids().length, 3, 'a new process took its place');
  t.same(await Promise.all(Array.from({ length: 10 }, (_, i) => hello(`Bo ${i}`))), Array(10).fill(200), 'still serving');

  server.child.kill('SIGTERM');
  const { code } = await server.exited;
  t.equal(code, 0, 'exit 0 once every worker stopped');
  for (const pid of listeningPids()) {
    t.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `worker ${pid} is gone`);
  }
  t.match(server.stderr(), /"all workers stopped"/);
});

t.test('--workers refuses a number that is not a sensible count', async (t) => {
  for (const value of ['0', 'two', '65']) {
    const child = spawn(process.execPath, ['--import', 'tsx', HELLO_CLI, 'http', '--workers', value], { cwd: ROOT, stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    t.equal(code, 2, `--workers ${value}: usage error`);
    t.match(stderr, /--workers/);
  }
});
