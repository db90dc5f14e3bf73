/**
 * ssl_verify: true refuses a self-signed tenant and false accepts it; with a certificate from a
 * CA the runtime trusts (NODE_EXTRA_CA_CERTS in the server's own process), true accepts the
 * right name and refuses another name (hostname mismatch) or an expired certificate, each with
 * an error that says which, and no request ever reaches a tenant that was refused.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CANARY, canaryHits, parseJson, recordResults, startServerChild, startStack, type Json } from './helpers.js';

const figures = { refused: 0, accepted: 0, requestsReachingRefusedTenants: 0, secretsFound: 0 };

async function certificate(name: string, altNames: { type: 2 | 7; value?: string; ip?: string }[], ca?: { key: string; cert: string }, dates?: { notBeforeDate: Date; notAfterDate: Date }) {
  const pems = await generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ...dates,
    ...(ca ? { ca } : {}),
    extensions: ca
      ? [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames },
        ]
      : [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        ],
  });
  return { cert: pems.cert, key: pems.private };
}

t.test('a self-signed tenant: ssl_verify true refuses it, false accepts it', async (t) => {
  const stack = await startStack({ sim: { tls: true } });
  t.teardown(() => stack.close());
  const refused = await stack.test(stack.connection({ ssl_verify: true }));
  t.equal(refused.status, 400);
  t.match(refused.body.exception.cause, /TLS certificate of 127\.0\.0\.1:\d+ is self-signed/);
  t.match(refused.body.exception.assistance, /ssl_verify/);
  const action = await stack.run('create_incident', { summary: 's', description: 'd', customer: 'user@example.com', status: 'Logged', type: 'Failure' }, stack.connection({ ssl_verify: true }));
  t.equal(action.status, 400, 'an action is refused the same way');
  figures.requestsReachingRefusedTenants += refused.entries.length + action.entries.length;
  t.equal(refused.entries.length + action.entries.length, 0, 'no request reached the tenant');
  figures.refused += 2;
  const accepted = await stack.test(stack.connection({ ssl_verify: false }));
  t.equal(accepted.status, 200, accepted.body.error ?? 'ok');
  const create = await stack.run('create_incident', { summary: 's', description: 'd', customer: 'user@example.com', status: 'Logged', type: 'Failure' }, stack.connection({ ssl_verify: false }));
  t.equal(create.status, 200, create.body.error ?? 'ok');
  figures.accepted += 2;
  figures.secretsFound += canaryHits(refused.text + action.text + accepted.text + create.text + stack.logText());
});

t.test('certificates from a CA the runtime trusts', async (t) => {
  const ca = await certificate('Hardening Test CA', []);
  const dir = mkdtempSync(join(tmpdir(), 'hardening-ca-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  const child = await startServerChild({ NODE_EXTRA_CA_CERTS: caFile });
  t.teardown(() => child.close());

  const right = await certificate('127.0.0.1', [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }], ca);
  const other = await certificate('ism.example.test', [{ type: 2, value: 'ism.example.test' }], ca);
  const day = 24 * 3600 * 1000;
  const expired = await certificate('127.0.0.1', [{ type: 7, ip: '127.0.0.1' }], ca, { notBeforeDate: new Date(Date.now() - 30 * day), notAfterDate: new Date(Date.now() - day) });

  const sims: Simulator[] = [];
  t.teardown(() => Promise.all(sims.map((s) => s.close())));
  const tenant = async (tls: { cert: string; key: string }) => {
    const sim = await startSimulator({ apiKeys: { [CANARY]: 'Administrator' }, tls });
    sims.push(sim);
    return sim;
  };
  const test = async (sim: Simulator, sslVerify: boolean): Promise<{ status: number; json: Json; entries: number }> => {
    const mark = sim.journal.total;
    const res = await fetch(`${child.url}/api/v1/connection/test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: 'v1', type: 'connection_test', body: { connection: { credentials: { secretKey: CANARY }, url: sim.url, ssl_verify: sslVerify, connect_timeout: 5, request_timeout: 5 } } }),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    figures.secretsFound += canaryHits(text);
    return { status: res.status, json: parseJson(text) ?? {}, entries: sim.journal.since(mark).length };
  };

  const good = await tenant(right);
  const trusted = await test(good, true);
  t.equal(trusted.status, 200, `a CA-signed certificate for 127.0.0.1 is accepted with ssl_verify true (${trusted.json.body?.error ?? 'ok'})`);
  figures.accepted++;

  const mismatch = await tenant(other);
  const wrongName = await test(mismatch, true);
  t.equal(wrongName.status, 400, 'a certificate for another host name is refused');
  t.match(wrongName.json.body?.exception?.cause, /TLS certificate of 127\.0\.0\.1:\d+ is not issued for the host name 127\.0\.0\.1\./);
  t.match(wrongName.json.body?.exception?.assistance, /ssl_verify/);
  t.equal(wrongName.entries, 0, 'no request reached it');
  figures.requestsReachingRefusedTenants += wrongName.entries;
  figures.refused++;
  const wrongNameAccepted = await test(mismatch, false);
  t.equal(wrongNameAccepted.status, 200, 'ssl_verify false accepts it (the user said so)');
  figures.accepted++;

  const old = await tenant(expired);
  const expiredAnswer = await test(old, true);
  t.equal(expiredAnswer.status, 400, 'an expired certificate is refused');
  t.match(expiredAnswer.json.body?.exception?.cause, /could not be verified \(CERT_HAS_EXPIRED\)/);
  t.equal(expiredAnswer.entries, 0);
  figures.requestsReachingRefusedTenants += expiredAnswer.entries;
  figures.refused++;
});

t.test('figures', async (t) => {
  t.equal(figures.secretsFound, 0);
  recordResults('tls', figures);
});
