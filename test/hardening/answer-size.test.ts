/**
 * ISM answers are read up to a cap (32 MiB unless the connection's response_size_limit says
 * otherwise): past it the answer is cut off and the step fails clearly, so a hostile or broken
 * tenant cannot fill the plugin's memory.
 */
import t from 'tap';
import { startSimulator } from '../../src/simulator/index.js';
import { CANARY, startServerChild, startStack, type Json } from './helpers.js';

const MiB = 1024 * 1024;

async function run(url: string, action: string, input: Json, connection: Json): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${url}/actions/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ version: 'v1', type: 'action_start', body: { action, meta: {}, connection, input } }),
  });
  return { status: res.status, body: ((await res.json()) as Json).body as Json };
}

// Child processes and waits in the tenant take a while on a busy machine; every wait is still bounded.

t.test('a 64 MiB answer: cut off at 32 MiB, a clear error, and the server stays small', async (t) => {
  const sim = await startSimulator({ apiKeys: { [CANARY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const child = await startServerChild();
  t.teardown(() => child.close());
  const connection = { credentials: { secretKey: CANARY }, url: sim.url, ssl_verify: true };
  // Warm up: the first step loads the plugin's modules.
  t.equal((await run(child.url, 'get_incident', { incident_number: 10001 }, connection)).status, 200);
  const before = await child.memory();

  sim.faults.script({ method: 'GET', set: 'incidents', times: 3, fault: { kind: 'oversized', bytes: 64 * MiB } });
  const r = await run(child.url, 'get_incident', { incident_number: 10001 }, connection);
  t.equal(r.status, 400, 'a plugin error, not a crash');
  t.match(r.body.exception, { cause: /ISM's answer to GET incidents\?.* is larger than the limit of 32 MiB/ });
  t.match(r.body.exception.assistance, /response_size_limit/);
  t.equal(sim.faults.counts().oversized, 1, 'read once: an answer over the limit is not read again');
  sim.faults.clear();

  const after = await child.memory();
  const grew = after.maxRss - before.maxRss;
  t.ok(grew < 64 * MiB, `the peak RSS grew by ${(grew / MiB).toFixed(1)} MiB, less than the 64 MiB answer`);
  t.ok(child.alive(), 'the server is still up');
  t.equal((await run(child.url, 'get_incident', { incident_number: 10001 }, connection)).status, 200, 'and serves the next step');
});

t.test('response_size_limit sets the cap, within 1 to 1024 MiB', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  stack.sim.faults.script({ method: 'GET', set: 'incidents', fault: { kind: 'oversized', bytes: 3 * MiB } });
  const small = await stack.run('get_incident', { incident_number: 10001 }, stack.connection({ response_size_limit: 2 }));
  t.equal(small.status, 400);
  t.match(small.body.exception.cause, /larger than the limit of 2 MiB/);
  stack.sim.faults.script({ method: 'GET', set: 'incidents', fault: { kind: 'oversized', bytes: 3 * MiB } });
  const roomy = await stack.run('get_incident', { incident_number: 10001 }, stack.connection({ response_size_limit: 4 }));
  t.equal(roomy.status, 400, 'read whole, then refused for what it holds');
  t.notMatch(roomy.body.exception.cause, /larger than the limit/, 'under the limit, the answer was read');

  for (const bad of [0, -1, 1025, 100_000]) {
    const r = await stack.run('get_incident', { incident_number: 10001 }, stack.connection({ response_size_limit: bad }));
    t.equal(r.status, 400, String(bad));
    t.match(r.body.error, /response_size_limit/, `${bad}: the error names the setting`);
    t.match(r.body.error, /1 to 1024/);
    t.same(r.entries, [], 'nothing was sent');
  }
  const fine = await stack.run('get_incident', { incident_number: 10001 }, stack.connection({ response_size_limit: 1 }));
  t.equal(fine.status, 200, 'a real answer is far below 1 MiB');
});

t.test('an answer that announces more than the cap is refused before its body is read', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  stack.sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'oversized', bytes: 2 * MiB } });
  const r = await stack.run('create_incident', { summary: 's', description: 'd', customer: 'user@example.com', status: 'Logged', type: 'Failure' }, stack.connection({ response_size_limit: 1 }));
  t.equal(r.status, 400);
  t.match(r.body.exception.cause, /ISM's answer to POST incidents is larger than the limit of 1 MiB/);
  t.match(r.body.exception.assistance, /check in ISM/, 'a write: the user checks ISM before running it again');
});
