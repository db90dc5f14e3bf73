/**
 * A trigger runs for months in one process: delivering its events must leave nothing behind.
 * Node's fetch records every request on the process-wide performance timeline (up to 250
 * resource entries, about 1 KB each), which nobody reads in a trigger's process: at most the
 * entry of the last delivery (added once its body is read) may remain.
 */
import t from 'tap';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../../src/runtime/logger.js';
import { Runtime } from '../../src/runtime/execute.js';
import { runTrigger } from '../../src/runtime/trigger.js';
import { createHelloPlugin } from '../fixtures/hello/plugin.js';
import { connection } from './helpers.js';

t.test('delivered events leave no entries on the performance timeline', async (t) => {
  let events = 0;
  const dispatcher = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      events++;
      res.writeHead(200).end('{}');
    });
  });
  dispatcher.listen(0, '127.0.0.1');
  await once(dispatcher, 'listening');
  t.teardown(() => dispatcher.close());
  const url = `http://127.0.0.1:${(dispatcher.address() as AddressInfo).port}/events`;

  performance.clearResourceTimings();
  const sink = new PassThrough();
  sink.resume();
  const logger = createLogger({ level: 'warn', destination: sink });
  const runtime = new Runtime(createHelloPlugin().plugin, { logger });
  const stop = new AbortController();
  const io = { stdin: new PassThrough(), stdout: sink, stderr: sink, env: {} };
  const message = { version: 'v1', type: 'trigger_start', body: { trigger: 'hello_trigger', meta: {}, connection: connection(), dispatcher: { url }, input: { name: 'Ada', interval: 10 } } };
  const running = runTrigger(runtime, message, { io, logger, debug: false, signal: stop.signal });
  // Bounded only so that a broken start fails instead of hanging; 40 events take under a second.
  for (let i = 0; i < 12_000 && events < 40; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  stop.abort();
  t.equal(await running, 0);
  t.ok(events >= 40, `${events} events delivered`);
  const kept = performance.getEntriesByType('resource').length;
  t.ok(kept <= 1, `${kept} resource timing entries kept (at most the last delivery's)`);
});
