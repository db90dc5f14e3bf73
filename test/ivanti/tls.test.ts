/**
 * TLS and `ssl_verify`: a self-signed tenant is refused with an error that names ssl_verify,
 * and accepted when ssl_verify is false; a certificate for another host is refused; a plain
 * HTTP server behind an https URL fails the handshake with its own error.
 */
import t from 'tap';
import { generate } from 'selfsigned';
import { sampleInput, startStack } from './helpers.js';

t.test('a self-signed tenant', async (t) => {
  const stack = await startStack({ sim: { tls: true } });
  t.teardown(() => stack.close());
  const { sim } = stack;
  t.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+\/HEAT$/);

  t.test('ssl_verify true: refused, naming ssl_verify', async (t) => {
    const r = await stack.test(stack.connection({ ssl_verify: true }));
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /TLS certificate of 127\.0\.0\.1:\d+ is self-signed/);
    t.match(r.body.exception.assistance, /ssl_verify/);
    t.equal(r.entries.length, 0, 'no request got through');
    t.notMatch(r.body.log, /Retrying/, 'a certificate problem is not retried');
    const action = await stack.run('create_incident', sampleInput('create_incident'), stack.connection({ ssl_verify: true }));
    t.equal(action.status, 400);
    t.match(action.body.exception.assistance, /ssl_verify/);
  });

  t.test('ssl_verify false: accepted', async (t) => {
    const conn = stack.connection({ ssl_verify: false });
    const r = await stack.test(conn);
    t.equal(r.status, 200, r.body.error ?? 'ok');
    const create = await stack.run('create_incident', sampleInput('create_incident'), conn);
    t.equal(create.status, 200, create.body.error ?? 'ok');
    t.equal(create.entries.length, 2, 'customer and assignee, then the create');
    t.equal(create.body.output.incident.Owner, 'jdoe');
  });

  t.test('the same tenant by name: localhost is in the certificate, still self-signed', async (t) => {
    const url = sim.url.replace('127.0.0.1', 'localhost');
    const refused = await stack.test(stack.connection({ url, ssl_verify: true }));
    t.equal(refused.status, 400);
    t.match(refused.body.exception.assistance, /ssl_verify/);
    const accepted = await stack.test(stack.connection({ url, ssl_verify: false }));
    t.equal(accepted.status, 200, accepted.body.error ?? 'ok');
  });
});

t.test('a certificate issued for another host', async (t) => {
  const pems = await generate([{ name: 'commonName', value: 'ism.example.test' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'ism.example.test' }] }],
  });
  const stack = await startStack({ sim: { tls: { cert: pems.cert, key: pems.private } } });
  t.teardown(() => stack.close());
  const r = await stack.test(stack.connection({ ssl_verify: true }));
  t.equal(r.status, 400);
  t.match(r.body.exception.cause, /TLS certificate of 127\.0\.0\.1:\d+/);
  t.match(r.body.exception.assistance, /ssl_verify/);
  t.equal(r.entries.length, 0);
  const accepted = await stack.test(stack.connection({ ssl_verify: false }));
  t.equal(accepted.status, 200, 'ssl_verify false accepts it (the user said so)');
});

t.test('an https URL for a plain HTTP tenant', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const r = await stack.test(stack.connection({ url: stack.sim.url.replace('http:', 'https:') }));
  t.equal(r.status, 400);
  t.match(r.body.exception.cause, /TLS handshake with 127\.0\.0\.1:\d+ failed/);
  t.match(r.body.exception.assistance, /https for a TLS tenant/);
});
