import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { builtInSeed, loadSeedFile, startSimulator, writeSeedFile } from '../../src/simulator/index.js';

const CLI = resolve('src/simulator/cli.ts');
const children = new Set<ChildProcess>();

function spawnCli(args: string[]): ChildProcess & { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child as ChildProcess & { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream };
}
// Whatever happens, no simulator process outlives the test.
t.teardown(() => {
  for (const child of children) child.kill('SIGKILL');
});
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

interface Running {
  url: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
}

/** Starts the CLI and resolves with the URL it prints once ready. */
function startCli(args: string[]): Promise<Running> {
  const child = spawnCli(args);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no URL within 120 s; stderr: ${err}`)), 120_000);
    const check = (): void => {
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      res({ url: out.slice(0, nl), stdout: () => out, stderr: () => err, exit, kill: (s) => child.kill(s) });
    };
    child.stdout.on('data', check);
    void exit.then((code) => {
      clearTimeout(timer);
      rej(new Error(`exited with ${code} before printing a URL; stderr: ${err}`));
    });
  });
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawnCli(args);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

const dir = await mkdtemp(join(tmpdir(), 'ism-sim-cli-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

// Child processes are slow to start on a busy machine: start them all at once, check them after.
const seedFile = join(dir, 'edited-seed.json');
const edited = builtInSeed();
edited.employees.push({ RecId: 'ABCDEFABCDEFABCDEFABCDEFABCDEF01', LoginID: 'newbie', DisplayName: 'New Person', FirstName: 'New', LastName: 'Person', PrimaryEmail: 'new.person@example.com' });
await writeFile(seedFile, JSON.stringify(edited));
const certFile = join(dir, 'cli-cert.pem');
const writtenSeedFile = join(dir, 'written-seed.json');
const badUsage = [['--bogus'], ['--prefix', '/SOMETHING'], ['positional']];
const [mainCli, tlsCli, help, writeSeed, ...bad] = await Promise.all([
  startCli(['--port', '0', '--api-key', 'CLI-KEY', '--api-key', 'CLI-RO:SelfService', '--admin', '--seed', seedFile]),
  startCli(['--port', '0', '--prefix', 'none', '--tls', '--write-cert', certFile]),
  runCli(['--help']),
  runCli(['--write-seed', writtenSeedFile]),
  ...badUsage.map((args) => runCli(args)),
]);

t.test('the CLI prints one line, its URL, serves the API (seeded from --seed) and exits 0 on SIGTERM', async (t) => {
  const cli = mainCli;
  t.match(cli.url, /^http:\/\/127\.0\.0\.1:\d+\/HEAT$/);
  const ok = await fetch(`${cli.url}/api/odata/businessobject/employees?$filter=${encodeURIComponent("LoginID eq 'newbie'")}`, { headers: { Authorization: 'rest_api_key=CLI-KEY' } });
  t.equal(ok.status, 200);
  t.equal(((await ok.json()) as { value: Array<{ DisplayName: string }> }).value[0]?.DisplayName, 'New Person');
  const ro = await fetch(`${cli.url}/api/odata/businessobject/incidents`, { method: 'POST', headers: { Authorization: 'rest_api_key=CLI-RO', 'Content-Type': 'application/json' }, body: '{"Subject":"x"}' });
  t.match(await ro.json(), { message: ['Role SelfService does not have rights to create object Incident#.'] });
  const admin = await fetch(`${new URL(cli.url).origin}/__sim/store/counts`);
  t.match(await admin.json(), { incidents: 7, employees: 27 });
  cli.kill('SIGTERM');
  t.equal(await cli.exit, 0);
  t.equal(cli.stdout(), `${cli.url}\n`, 'nothing else on stdout');
  t.match(cli.stderr(), /SIGTERM/);
});

t.test('SIGINT stops it cleanly too; --prefix none, --tls and --write-cert', async (t) => {
  const cli = tlsCli;
  t.match(cli.url, /^https:\/\/127\.0\.0\.1:\d+$/, 'HTTPS, and no /HEAT');
  t.match(await readFile(certFile, 'utf8'), /BEGIN CERTIFICATE/);
  cli.kill('SIGINT');
  t.equal(await cli.exit, 0);
  t.equal(cli.stdout(), `${cli.url}\n`);
});

t.test('bad usage: a message on stderr, nothing on stdout, exit 2; --help', async (t) => {
  bad.forEach((r, i) => {
    const name = (badUsage[i] as string[]).join(' ');
    t.equal(r.code, 2, name);
    t.equal(r.stdout, '', name);
    t.match(r.stderr, /ism-simulator: /, name);
  });
  t.equal(help.code, 0);
  t.match(help.stdout, /Usage: ism-simulator/);
});

t.test('--write-seed writes the built-in seed and exits', async (t) => {
  t.equal(writeSeed.code, 0);
  t.equal(writeSeed.stdout, '');
  t.same(JSON.parse(await readFile(writtenSeedFile, 'utf8')), builtInSeed());
});

t.test('a seed file round trip gives the same tenant', async (t) => {
  const file = join(dir, 'seed.json');
  await writeSeedFile(file);
  t.same(await loadSeedFile(file), builtInSeed());
  const a = await startSimulator({ seed: file });
  const b = await startSimulator();
  t.teardown(() => Promise.all([a.close(), b.close()]));
  t.same(a.store.incidents(), b.store.incidents());
  t.same(a.store.employees(), b.store.employees());
  t.same(a.store.notes(), b.store.notes());
});

t.test('a partial seed gets the default validation lists; a broken one is refused clearly', async (t) => {
  const file = join(dir, 'small.json');
  await writeFile(file, JSON.stringify({ employees: [{ RecId: 'ABCDEFABCDEFABCDEFABCDEFABCDEF02', LoginID: 'solo', DisplayName: 'Solo Person', PrimaryEmail: 'solo@example.com' }] }));
  const sim = await startSimulator({ seed: file });
  t.teardown(() => sim.close());
  t.same(sim.store.counts(), { incidents: 0, notes: 0, employees: 1 });
  const created = sim.store.createIncident({ Subject: 's', Symptom: 'd', ProfileLink: 'ABCDEFABCDEFABCDEFABCDEFABCDEF02', Category: 'How-To' });
  t.equal(created.IncidentNumber, 10001);

  const broken = join(dir, 'broken.json');
  await writeFile(broken, JSON.stringify({ employees: [{ LoginID: 'x' }] }));
  await t.rejects(startSimulator({ seed: broken }), /employees\[0\]\.RecId must be a non-empty string/);
  await writeFile(broken, '{ not json');
  await t.rejects(startSimulator({ seed: broken }), /Cannot read the seed file/);
  const badIncident = builtInSeed();
  badIncident.incidents = [{ Subject: 'x', Symptom: 'y', ProfileLink: 'NOPE' }];
  await t.rejects(startSimulator({ seed: badIncident }), /seed: incidents\[0\]: Incident\.ProfileLink/);
});
