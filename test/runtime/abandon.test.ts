/**
 * A step's signal: aborted when the HTTP caller hangs up before the answer, never otherwise,
 * and the step then ends with an error that says so.
 */
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { actionStart, eventBody, post, startHello } from './helpers.js';

async function until(what: string, condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}

// Child processes and waits in the tenant take a while on a busy machine; every wait is still bounded.

t.test('the caller hanging up aborts the step', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const caller = new AbortController();
  const hangUp = fetch(`${server.url}/actions/say_hello`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(actionStart({ name: 'sleep:8000' })),
    signal: caller.signal,
  });
  // The caller gives up after 300 ms, and on a busy machine not before the step has started.
  await sleep(300);
  await until('the step started', () => server.logText().includes('greeting sleep:8000'));
  caller.abort();
  await t.rejects(hangUp, 'the caller gave up');
  await until('the step stopped', () => server.stats.abandoned === 1);
  await until('the step was logged', () => server.logText().includes('step failed'));
  const failed = server.logLines().find((l) => l.msg === 'step failed')!;
  t.match(failed.cause, /The caller closed the connection before the step finished/);
  t.equal(failed.httpStatus, 400);
});

t.test('a step whose caller waits is never aborted', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const answers = await Promise.all(Array.from({ length: 5 }, () => post(`${server.url}/actions/say_hello`, actionStart({ name: 'sleep:50' }))));
  for (const a of answers) t.equal(eventBody(a).status, 'ok');
  t.equal(server.stats.abandoned, 0);
});
