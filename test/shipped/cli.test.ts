/**
 * The built command lines, as the image ships them (no node_modules, the image's NODE_OPTIONS),
 * against the bundled simulator: `info`, `run` over stdin (HTTP and HTTPS tenants, a good and
 * a bad message) and the `http` server with its graceful stop.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import t from 'tap';
import { manifest } from '../../src/generated/manifest.js';
import { DOCKERFILE, imageNodeOptions, layOutShippedFiles, runNode, shippedEnv, shippedFiles, startNode, type Running } from './shipped.js';


const KEY = 'SHIPPED-planted-key-7e31';
const shipped = layOutShippedFiles();
t.teardown(() => shipped.remove());

const url = (line: string) => (/^https?:\/\/\S+$/.test(line.trim()) ? line.trim() : undefined);
const simulators: Running[] = [];
t.teardown(async () => {
  for (const s of simulators) await s.stop();
});
const startSimulator = async (extra: string[] = []) => {
  const sim = await startNode(shipped.dir, ['dist/simulator/cli.js', '--port', '0', '--api-key', KEY, '--admin', ...extra], url);
  simulators.push(sim);
  return sim;
};

type Json = Record<string, any>;
const createInput = { summary: 'Shipped build check', description: 'Created by the built CLI', customer: 'user@example.com', assignee: 'jdoe', type: 'Failure', status: 'Logged' };
const start = (tenant: string, input: Json, extra: Json = {}, action = 'create_incident') => ({
  version: 'v1',
  type: 'action_start',
  body: { action, meta: { check: 'shipped' }, connection: { credentials: { secretKey: KEY }, url: tenant, ...extra }, input },
});
const envelope = (stdout: string): Json => {
  const lines = stdout.split('\n');
  if (lines.length !== 2 || lines[1] !== '') throw new Error(`stdout is not exactly one envelope: ${stdout.slice(0, 500)}`);
  return JSON.parse(lines[0]!) as Json;
};
/** The incident as the simulator stores it (its admin route; the TLS one has a self-signed certificate). */
const storedIncident = (sim: Running, n: number): Promise<Json> =>
  new Promise((resolve, reject) => {
    const address = `${sim.value.replace(/\/HEAT$/, '')}/__sim/store/incidents/${n}`;
    const get = address.startsWith('https:') ? httpsGet : httpGet;
    get(address, { rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve(JSON.parse(text) as Json));
    }).on('error', reject);
  });

t.test('the image ships the bundles, the spec and the help, and no node_modules', async (t) => {
  const targets = shippedFiles().map(([, to]) => to);
  t.same(targets.sort(), ['dist/chunks', 'dist/cli.js', 'dist/simulator/cli.js', 'help.md', 'package.json', 'plugin.spec.yaml']);
  const version = /^ARG VERSION=(\S+)$/m.exec(DOCKERFILE)?.[1];
  t.equal(version, JSON.parse(readFileSync('package.json', 'utf8')).version, "the image's version label defaults to the package's version");
  t.notMatch(DOCKERFILE, /^# *syntax=/m, 'no syntax directive: the build needs no registry');
});

t.test('info describes the plugin', async (t) => {
  const r = await runNode(shipped.dir, ['dist/cli.js', 'info']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, `(${manifest.info.name}) ${manifest.info.version}`);
  for (const step of [...manifest.actions, ...manifest.triggers]) t.match(r.stdout, new RegExp(`^  ${step.name} `, 'm'), `lists ${step.name}`);
});

t.test('run creates an incident over HTTP and over HTTPS, and refuses a bad input by name', async (t) => {
  const [plain, tls] = await Promise.all([startSimulator(), startSimulator(['--tls'])]);
  t.match(tls.value, /^https:/);
  for (const [sim, extra] of [
    [plain, {}],
    [tls, { ssl_verify: false }],
  ] as const) {
    const r = await runNode(shipped.dir, ['dist/cli.js', 'run'], JSON.stringify(start(sim.value, createInput, extra)));
    t.equal(r.code, 0, `exit 0 against ${sim.value}: ${r.stderr.slice(-500)}`);
    const answer = envelope(r.stdout);
    t.match(answer, { version: 'v1', type: 'action_event', body: { status: 'ok', meta: { check: 'shipped' } } });
    const n = answer.body.output.incident.IncidentNumber;
    t.ok(Number.isInteger(n), `an incident number: ${n}`);
    t.match(await storedIncident(sim, n), { Subject: createInput.summary, Owner: 'jdoe' }, 'the tenant holds the incident');
    t.notOk((r.stdout + r.stderr).includes(KEY), 'the key appears neither in the answer nor in the log');
  }

  const bad = await runNode(shipped.dir, ['dist/cli.js', 'run'], JSON.stringify(start(plain.value, { ...createInput, summary: '' })));
  t.equal(bad.code, 1, 'a refused step exits 1');
  t.match(envelope(bad.stdout), { body: { status: 'error', exception: { cause: /'summary' is required/ } } });

  // A misspelt optional input does not stop the step, and does not go unmentioned.
  const typo = await runNode(shipped.dir, ['dist/cli.js', 'run'], JSON.stringify(start(plain.value, { ...createInput, urgncy: 'High' })));
  t.equal(typo.code, 0);
  t.match(envelope(typo.stdout), { body: { status: 'ok', log: /WARN Ignored the input 'urgncy': create_incident has no input of that name\. Did you mean 'urgency'\?/ } });
});

/** How the README starts a server outside the image: with the image's bound on the young generation. */
const SERVER_COMMAND = ['--max-semi-space-size=16', 'dist/cli.js', 'http'];

t.test('a server started outside the image gets the same V8 options as in it', async (t) => {
  const nodeOptions = SERVER_COMMAND.slice(0, SERVER_COMMAND.indexOf('dist/cli.js')).join(' ');
  t.equal(nodeOptions, imageNodeOptions(), "the README's command and the image's NODE_OPTIONS");
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
  t.equal(scripts.start, `node ${SERVER_COMMAND.join(' ')}`, 'npm start');
});

t.test('http serves steps and the description, and stops cleanly on SIGTERM', async (t) => {
  const sim = await startSimulator();
  // Without NODE_OPTIONS, so that the flags on the command line are what bounds the server.
  const server = await startNode(shipped.dir, [...SERVER_COMMAND, '--port', '0', '--host', '127.0.0.1'], (line) => {
    if (!line.includes('plugin server listening')) return undefined;
    const address = (JSON.parse(line) as Json).address;
    return `http://127.0.0.1:${address.port}`;
  }, shippedEnv({ NODE_OPTIONS: '' }));
  t.teardown(() => server.stop());
  const base = server.value;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
    return { status: res.status, json: (await res.json()) as Json };
  };

  t.match((await (await fetch(`${base}/api/v1/status`)).json()) as Json, { status: 'Ready' });
  const created = await post('/actions/create_incident', start(sim.value, createInput));
  t.equal(created.status, 200);
  const n = created.json.body.output.incident.IncidentNumber;
  t.ok(Number.isInteger(n));
  const got = await post('/actions/get_incident', start(sim.value, { incident_number: n }, {}, 'get_incident'));
  t.match(got, { status: 200, json: { body: { status: 'ok', output: { incident: { IncidentNumber: n, Subject: createInput.summary } } } } });
  // The description is loaded on first use, from a chunk of its own (the spec loader).
  const api = (await (await fetch(`${base}/api/v1/api`)).json()) as Json;
  t.ok(api.paths?.['/actions/create_incident'], 'the OpenAPI document lists the actions');
  const spec = await (await fetch(`${base}/api/v1/spec?format=json`)).json();
  t.match(spec, { name: manifest.info.name });

  t.equal(await server.stop(), 0, 'SIGTERM: exit 0');
  t.notOk(server.output().includes(KEY), 'the key is not in the server log');
});

t.test("a one-shot step keeps Node's compile cache where Node has one", { skip: !('enableCompileCache' in module) && 'Node 20 has no compile cache' }, async (t) => {
  const sim = await startSimulator();
  const tmp = mkdtempSync(join(tmpdir(), 'compile-cache-'));
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
  // Node's default folder is node-compile-cache in the temporary folder.
  const r = await runNode(shipped.dir, ['dist/cli.js', 'run'], JSON.stringify(start(sim.value, createInput)), shippedEnv({ TMPDIR: tmp }));
  t.equal(r.code, 0, r.stderr.slice(-300));
  const cached = readdirSync(join(tmp, 'node-compile-cache'), { recursive: true }).length;
  t.ok(cached > 0, `${cached} entries cached`);
});

t.test('a stack trace from the shipped bundle is readable and says which source file it is in', async (t) => {
  const chunks = join(shipped.dir, 'dist', 'chunks');
  const files = readdirSync(chunks);
  t.notOk(files.some((f) => f.endsWith('.map')), 'no source maps are shipped');
  const start = /\bIsmClient = class\b/;
  const client = files.find((file) => start.test(readFileSync(join(chunks, file), 'utf8')));
  t.ok(client, 'a shipped chunk holds the ISM client');
  const code = readFileSync(join(chunks, client!), 'utf8').split('\n');
  const line = code.findIndex((l) => start.test(l));
  t.ok(code.slice(line, line + 30).some((l) => /^\s+constructor\(settings\b/.test(l)), 'the code is as written, one statement a line');
  const marker = code.slice(0, line).reverse().find((l) => l.startsWith('// src/'));
  t.equal(marker, '// src/ivanti/client.ts', 'the nearest file marker above names the source file');
});
