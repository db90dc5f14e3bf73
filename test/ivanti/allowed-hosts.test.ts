/**
 * The opt-in allow-list of tenant hosts: with one set, a connection to any other host is refused
 * before any request is made; without one, any URL is used as before.
 */
import t from 'tap';
import { parseAllowedHosts } from '../../src/runtime/allowed-hosts.js';
import { startStack } from './helpers.js';

t.test('a connection to a host off the list is refused before any request', async (t) => {
  const stack = await startStack({ runtime: { allowedHosts: parseAllowedHosts('ism.example.com, *.ivanti.example.net') } });
  t.teardown(() => stack.close());
  const mark = stack.sim.journal.total;
  for (const send of [() => stack.run('get_incident', { incident_number: 10001 }), () => stack.test(), () => stack.run('create_incident', { summary: 's', description: 'd', customer: 'user@example.com', status: 'Logged', type: 'Failure' })]) {
    const r = await send();
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /The connection URL's host 127\.0\.0\.1:\d+ is not on this plugin server's list of allowed tenant hosts/);
    t.match(r.body.error, /url/);
  }
  t.same(stack.sim.journal.since(mark), [], 'nothing reached the tenant');
});

t.test('a host on the list is used; entries match names, subdomains and ports exactly', async (t) => {
  const stack = await startStack({ runtime: { allowedHosts: parseAllowedHosts('ism.example.com,127.0.0.1') } });
  t.teardown(() => stack.close());
  t.equal((await stack.run('get_incident', { incident_number: 10001 })).status, 200);
  const list = parseAllowedHosts('ISM.example.com, *.ivanti.example.net, tenant.example.org:8443, [::1]');
  const allowed = (url: string) => list.allows(new URL(url));
  t.ok(allowed('https://ism.example.com/HEAT'));
  t.ok(allowed('https://ISM.Example.com:443'), 'names ignore case; an entry without a port allows any');
  t.ok(allowed('https://a.ivanti.example.net'));
  t.ok(allowed('https://a.b.ivanti.example.net'));
  t.notOk(allowed('https://ivanti.example.net'), 'a wildcard is for subdomains only');
  t.notOk(allowed('https://evilivanti.example.net'));
  t.notOk(allowed('https://ism.example.com.evil.net'));
  t.ok(allowed('https://tenant.example.org:8443'));
  t.notOk(allowed('https://tenant.example.org'), 'a port given is the only port allowed');
  t.ok(allowed('http://[::1]:9000'));
  for (const bad of ['', ' , ', 'https://ism.example.com', 'ism.example.com/HEAT', '*', '*.com', 'bad host', 'h:99999']) {
    t.throws(() => parseAllowedHosts(bad), /allowed tenant hosts/, JSON.stringify(bad));
  }
});
