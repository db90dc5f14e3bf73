/**
 * The built `http` command with its protections switched on from the environment or its flags,
 * as an operator runs it: the bearer token, the allow-list of tenant hosts, and their usage errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startSimulator } from '../../src/simulator/index.js';
import { KEY, type Json } from './helpers.js';


const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const TOKEN = 'ops-T0ken-for-the-plugin-7d2c91';

interface Served {
  url: string;
  stderr(): string;
  stop(): Promise<number | null>;
}

function serve(args: string[], env: Record<string, string>): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'http', '--host', '127.0.0.1', '--port', '0', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      const line = stderr.split('\n').find((l) => l.includes('plugin server listening'));
      if (!line) return;
      const port = (JSON.parse(line) as { address: { port: number } }).address.port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`http exited (${code}) before listening: ${stderr.slice(-1000)}`)));
  });
}

function exitOf(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'http', '--host', '127.0.0.1', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

async function step(url: string, connection: Json, authorization?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${url}/actions/get_incident`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ version: 'v1', type: 'action_start', body: { action: 'get_incident', meta: {}, connection, input: { incident_number: 10001 } } }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

t.test('from the environment: a token on every route but status, and only the tenants listed', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const server = await serve([], { PLUGIN_API_TOKEN: TOKEN, PLUGIN_ALLOWED_HOSTS: 'ism.example.com' });
  const connection = { credentials: { secretKey: KEY }, url: sim.url };
  t.equal((await fetch(`${server.url}/api/v1/status`)).status, 200, 'status is open');
  t.equal((await fetch(`${server.url}/api/v1/info`)).status, 401);
  t.equal((await step(server.url, connection)).status, 401, 'no token');
  t.equal((await step(server.url, connection, 'Bearer not-the-token')).status, 401, 'a wrong token');
  const refused = await step(server.url, connection, `Bearer ${TOKEN}`);
  t.equal(refused.status, 400, 'with the token, the step runs and its tenant is refused');
  t.match((refused.body.body as Json).error, /not on this plugin server's list of allowed tenant hosts/);
  t.equal(sim.journal.total, 0, 'nothing reached the tenant');
  t.equal(await server.stop(), 0);
  t.notMatch(server.stderr(), TOKEN, 'the token is never logged');
});

t.test('from flags: a token file and the allowed hosts', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const dir = mkdtempSync(join(tmpdir(), 'plugin-token-'));
  const file = join(dir, 'token');
  writeFileSync(file, `${TOKEN}\n`);
  const server = await serve(['--api-token-file', file, '--allowed-hosts', '127.0.0.1,ism.example.com'], {});
  const ok = await step(server.url, { credentials: { secretKey: KEY }, url: sim.url }, `Bearer ${TOKEN}`);
  t.equal(ok.status, 200, 'a listed tenant, with the token from the file (its line break dropped)');
  t.equal((await step(server.url, { credentials: { secretKey: KEY }, url: sim.url })).status, 401);
  t.equal(await server.stop(), 0);
});

t.test('bad protection settings are usage errors', async (t) => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [[], { PLUGIN_API_TOKEN: 'short' }, /PLUGIN_API_TOKEN must be at least 16 characters/],
    [[], { PLUGIN_API_TOKEN: 'has a space inside it, sadly' }, /PLUGIN_API_TOKEN must be printable ASCII without spaces/],
    [['--api-token-file', '/nonexistent/token'], {}, /--api-token-file: cannot read \/nonexistent\/token/],
    [['--api-token-file', '/dev/null'], { PLUGIN_API_TOKEN: TOKEN }, /give the API token once/],
    [[], { PLUGIN_ALLOWED_HOSTS: 'https://ism.example.com' }, /PLUGIN_ALLOWED_HOSTS.*allowed tenant hosts/],
    [['--allowed-hosts', ''], {}, /--allowed-hosts.*allowed tenant hosts/],
  ];
  for (const [args, env, message] of cases) {
    const r = await exitOf(args, env);
    t.equal(r.code, 2, `${args.join(' ')} ${JSON.stringify(env)}: exit 2`);
    t.match(r.stderr, message);
    t.notMatch(r.stderr, TOKEN);
  }
});
