/**
 * Triggers started with `run` on a trigger_start message, as real child processes: events
 * POSTed to the dispatcher as trigger_event envelopes (retried until accepted), or written
 * to stdout with --debug; SIGTERM stops the trigger cleanly; a bad start is one error
 * envelope and exit 1; the secret appears nowhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { connection, HELLO_CLI, ROOT, SECRET, singleEnvelope, runHello, type Json } from './helpers.js';

interface Dispatcher {
  url: string;
  events: Json[];
  /** Answer the next `n` deliveries with this status instead of 200. */
  failNext(n: number, status: number): void;
  attempts: number;
  close(): Promise<void>;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
}

async function startDispatcher(): Promise<Dispatcher> {
  const events: Json[] = [];
  let failures = 0;
  let failStatus = 503;
  let attempts = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      attempts++;
      if (failures > 0) {
        failures--;
        res.writeHead(failStatus).end();
        return;
      }
      events.push(JSON.parse(body) as Json);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      for (const w of [...waiters]) if (events.length >= w.count) w.resolve();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    events,
    get attempts() {
      return attempts;
    },
    failNext(n, status) {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
    waitFor(count, timeoutMs = 60_000) {
      if (events.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${events.length} of ${count} events arrived`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

function triggerStart(dispatcherUrl: string | undefined, input: Json = { name: 'Ada', interval: 50 }): Json {
  return {
    version: 'v1',
    type: 'trigger_start',
    body: {
      trigger: 'hello_trigger',
      meta: { job: 'trigger-job' },
      connection: connection(),
      ...(dispatcherUrl ? { dispatcher: { url: dispatcherUrl, webhook_url: '' } } : {}),
      input,
    },
  };
}

function startTrigger(args: string[], message: Json): { child: ChildProcess; output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', HELLO_CLI, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'debug' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (c: Buffer) => (output.stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output.stderr += c.toString('utf8')));
  child.stdin!.end(JSON.stringify(message));
  return { child, output };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  child.kill(signal);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return code;
}

t.test('events are POSTed to the dispatcher as trigger_event envelopes until SIGTERM', async (t) => {
  const dispatcher = await startDispatcher();
  t.teardown(() => dispatcher.close());
  const { child, output } = startTrigger(['run'], triggerStart(dispatcher.url));
  await dispatcher.waitFor(3);
  const code = await stop(child);
  t.equal(code, 0, 'SIGTERM stops the trigger with exit 0');
  t.equal(output.stdout, '', 'nothing on stdout: events went to the dispatcher');
  const [first, second] = dispatcher.events;
  t.match(first, { version: 'v1', type: 'trigger_event', body: { status: 'ok', meta: { job: 'trigger-job' }, output: { message: 'Hello, Ada!' } } });
  t.match(first!.body, { log: /Trigger hello_trigger started/ }, 'the first event carries the start-up log');
  t.type((second!.body as Json).log, 'string', 'every event has a log');
  for (const text of [JSON.stringify(dispatcher.events), output.stderr]) t.notOk(text.includes(SECRET), 'the secret appears nowhere');
  t.match(output.stderr, /"msg":"trigger stopped"/);
});

t.test('with --debug the events go to stdout, one envelope per line', async (t) => {
  const { child, output } = startTrigger(['--debug', 'run'], triggerStart(undefined));
  const deadline = Date.now() + 60_000;
  while (output.stdout.split('\n').filter(Boolean).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.equal(await stop(child, 'SIGINT'), 0, 'SIGINT stops it too');
  const lines = output.stdout.split('\n').filter(Boolean);
  t.ok(lines.length >= 2, 'at least two events');
  for (const line of lines) t.match(JSON.parse(line), { type: 'trigger_event', body: { status: 'ok', output: { message: 'Hello, Ada!' } } });
});

t.test('a delivery the dispatcher refuses is retried until accepted, in order', async (t) => {
  const dispatcher = await startDispatcher();
  t.teardown(() => dispatcher.close());
  dispatcher.failNext(2, 503);
  const { child } = startTrigger(['run'], triggerStart(dispatcher.url, { name: 'Retry', interval: 5_000 }));
  await dispatcher.waitFor(1, 60_000);
  t.equal(await stop(child), 0);
  t.equal(dispatcher.attempts, 3, 'two refusals, then the event was accepted');
  t.equal(dispatcher.events.length, 1, 'delivered once');
});

t.test('a bad trigger start is one error envelope on stdout and exit 1', async (t) => {
  const noDispatcher = await runHello(['run'], JSON.stringify(triggerStart(undefined)));
  t.equal(noDispatcher.code, 1);
  t.match(singleEnvelope(noDispatcher.stdout), { type: 'trigger_event', body: { status: 'error', error: /dispatcher\.url/ } });
  const badInput = await runHello(['run'], JSON.stringify(triggerStart('http://127.0.0.1:9/', { name: 'Ada', interval: 1 })));
  t.equal(badInput.code, 1);
  t.match(singleEnvelope(badInput.stdout), { body: { status: 'error', error: /'interval' must be >= 10/ } });
  const unknown = await runHello(['run'], JSON.stringify({ ...triggerStart('http://127.0.0.1:9/'), body: { ...(triggerStart('x').body as Json), trigger: 'nope' } }));
  t.equal(unknown.code, 1);
  t.match(singleEnvelope(unknown.stdout), { body: { status: 'error', error: /Unknown trigger 'nope'/ } });
});

t.test("a trigger's first event names an input the trigger does not have", async (t) => {
  const { child, output } = startTrigger(['--debug', 'run'], triggerStart(undefined, { name: 'Ada', intervall: 50 }));
  const deadline = Date.now() + 60_000;
  while (output.stdout.split('\n').filter(Boolean).length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.equal(await stop(child), 0);
  const first = JSON.parse(output.stdout.split('\n')[0]!) as { body: { status: string; log: string } };
  t.equal(first.body.status, 'ok', 'the trigger runs as it did');
  t.match(first.body.log, /WARN Ignored the input 'intervall': hello_trigger has no input of that name\. Did you mean 'interval'\?/);
});
