/** Slow or stalled clients are cut off: request, headers and keep-alive timeouts. */
import t from 'tap';
import { connect, type Socket } from 'node:net';
import { actionStart, startHello } from './helpers.js';

interface Outcome {
  /** What the server wrote before closing. */
  received: string;
  ms: number;
}

/** Opens a socket, writes `parts` (the last one never completes the request) and waits for the server to close it. */
function stall(url: string, parts: string[], limitMs: number): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect({ host: hostname, port: Number(port) });
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the stalled connection open for ${limitMs} ms`));
    }, limitMs);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, ms: Date.now() - started });
    });
    socket.on('connect', () => {
      for (const part of parts) socket.write(part);
    });
  });
}

t.test('a client that sends its headers and then never finishes its body is cut off', async (t) => {
  const server = await startHello({ requestTimeoutMs: 600 });
  t.teardown(server.close);
  const body = JSON.stringify(actionStart());
  const head = `POST /actions/say_hello HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
  const outcome = await stall(server.url, [head, body.slice(0, 20)], 5_000);
  t.ok(outcome.ms >= 500, `not before the timeout (${outcome.ms} ms)`);
  t.match(outcome.received, /^HTTP\/1\.1 408 Request Timeout\r\n/, 'answered 408');
  t.match(outcome.received, /Content-Type: application\/json\r\n\r\n\{"error":"Request Timeout".*"statusCode":408\}$/, 'with a JSON body');
  t.equal(server.stats.connects, 0, 'the step never ran');
  // The server still serves others.
  const res = await fetch(`${server.url}/api/v1/status`);
  t.equal(res.status, 200);
});

t.test('a client that never finishes its headers is cut off', async (t) => {
  const server = await startHello({ requestTimeoutMs: 600 });
  t.teardown(server.close);
  const outcome = await stall(server.url, ['POST /actions/say_hello HTTP/1.1\r\nHost: x\r\nContent-Ty'], 5_000);
  t.ok(outcome.ms >= 500, `not before the timeout (${outcome.ms} ms)`);
  t.match(outcome.received, /^HTTP\/1\.1 408 Request Timeout\r\n/);
});

t.test('an idle keep-alive connection is closed after the keep-alive timeout', async (t) => {
  const server = await startHello({ keepAliveTimeoutMs: 300 });
  t.teardown(server.close);
  const outcome = await stall(server.url, ['GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n'], 5_000);
  t.match(outcome.received, /^HTTP\/1\.1 200 OK/, 'the request was answered');
  t.match(outcome.received, /Keep-Alive: timeout=\d+/i, 'the connection was kept alive');
  t.ok(outcome.ms >= 250, `and closed once idle (${outcome.ms} ms)`);
});
