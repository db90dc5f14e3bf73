import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ADMIN_KEY, start } from './helpers.js';

function get(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { Authorization: `rest_api_key=${ADMIN_KEY}` }, ...(ca ? { ca } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('tls: true serves HTTPS with a self-signed certificate for localhost and 127.0.0.1', async (t) => {
  const sim = await start({ tls: true });
  t.teardown(() => sim.close());
  t.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+\/HEAT$/);
  t.match(sim.certificate, /^-----BEGIN CERTIFICATE-----/);
  const ca = sim.certificate as string;
  const byIp = await get(`${sim.url}/api/odata/businessobject/incidents?$top=1`, ca);
  t.equal(byIp.status, 200);
  t.equal(JSON.parse(byIp.body)['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#incidents`);
  const byName = await get(`https://localhost:${sim.port}/HEAT/api/odata/businessobject/incidents?$top=1`, ca);
  t.equal(byName.status, 200);
  await t.rejects(get(`${sim.url}/api/odata/businessobject/incidents`), { code: /SELF_SIGNED|UNABLE_TO_VERIFY/ }, 'untrusted without the certificate');
});

t.test('tls: {cert, key} uses the given certificate (PEM text or files)', async (t) => {
  const first = await start({ tls: true });
  const cert = first.certificate as string;
  await first.close();
  // Recover a matching key by generating a fresh pair through the module the simulator uses.
  const { selfSignedCertificate } = await import('../../src/simulator/tls.js');
  const pair = await selfSignedCertificate();
  const dir = await mkdtemp(join(tmpdir(), 'ism-sim-tls-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'cert.pem'), pair.cert);
  await writeFile(join(dir, 'key.pem'), pair.key);

  const fromFiles = await start({ tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } });
  t.teardown(() => fromFiles.close());
  t.equal(fromFiles.certificate, pair.cert);
  t.equal((await get(`${fromFiles.url}/api/odata/businessobject/employees?$top=1`, pair.cert)).status, 200);
  await t.rejects(get(`${fromFiles.url}/api/odata/businessobject/employees?$top=1`, cert), 'another certificate is not trusted');

  const fromText = await start({ tls: pair, prefix: '' });
  t.teardown(() => fromText.close());
  t.equal((await get(`${fromText.url}/api/odata/businessobject/employees?$top=1`, pair.cert)).status, 200);
});
