/**
 * Every command in the README is exercised, so the README cannot rot: the commands that
 * can run here run (the CLI, the simulator and its curl examples); the others are checked to
 * be run by CI (.ci/run, and .ci/container.sh with podman standing in for docker) or by a
 * named test. A command added to the README that nobody exercises fails this test.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import t from 'tap';

const README = readFileSync('README.md', 'utf8');
const CI_RUN = readFileSync('.ci/run', 'utf8');
const CONTAINER = readFileSync('.ci/container.sh', 'utf8');

/** The commands of the README's sh blocks, continuation lines joined, comments dropped. */
function readmeCommands(): string[] {
  const commands: string[] = [];
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    // A line ending in a backslash continues; so does a line inside an open '...' string.
    let pending = '';
    for (const raw of block[1]!.split('\n')) {
      const line = pending ? `${pending} ${raw.trim()}` : raw;
      if (/\\$/.test(line)) {
        pending = line.replace(/\s*\\$/, '');
        continue;
      }
      if ((line.match(/'/g) ?? []).length % 2 === 1) {
        pending = line;
        continue;
      }
      pending = '';
      const command = line.replace(/\s+#[^']*$/, '').trim();
      if (command) commands.push(command);
    }
  }
  return commands;
}

/** The tap API the checks use (a subtest has the same methods as the root). */
type TapTest = Pick<typeof t, 'match' | 'equal' | 'ok'>;
type Check = (t: TapTest, command: string) => Promise<void> | void;

const ranByCi = (script: string, where: string, ...needles: (string | RegExp)[]): Check => (t) => {
  for (const needle of needles) t.match(script, needle, `${where} runs it (${String(needle)})`);
};

const ranByTest = (file: string, needle: string | RegExp): Check => (t) => {
  t.match(readFileSync(file, 'utf8'), needle, `${file} exercises it`);
};

function runNode(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Each README command and how it is exercised. */
const RULES: [RegExp, Check][] = [
  [/^npm ci && npm run demo$/, ranByCi(CI_RUN, '.ci/run', /^npm ci\b/m, /^npm run -s demo$/m)],
  [/^npm test$/, ranByCi(CI_RUN, '.ci/run', /^npm test$/m)],
  [/^npm ci$/, ranByCi(CI_RUN, '.ci/run', /^npm ci\b/m)],
  [/^npm run build$/, ranByCi(readFileSync('package.json', 'utf8'), 'npm test', '"test": "npm run build')],
  [/^npm run generate$/, ranByTest('test/spec/generate-check.test.ts', 'generate-cli.ts')],
  [/^npm run bench -- --quick$/, ranByCi(CI_RUN, '.ci/run', 'npm run -s bench -- --quick')],
  [/^npm run reliability$/, ranByTest('test/scripts/reliability.test.ts', 'planRun([])')],
  [/^docker build -t ivanti-service-manager-plugin \.$/, ranByCi(CONTAINER, '.ci/container.sh', 'ci-container-smoke.sh')],
  [/^docker run --rm -p 127\.0\.0\.1:10001:10001 ivanti-service-manager-plugin$/, ranByCi(CONTAINER, '.ci/container.sh', /podman run -d --name "\$NAME" -p "127\.0\.0\.1:\$PORT:10001" "\$TAG"/)],
  [/^node --max-semi-space-size=16 dist\/cli\.js http$/, ranByTest('test/shipped/cli.test.ts', "SERVER_COMMAND = ['--max-semi-space-size=16', 'dist/cli.js', 'http']")],
  [
    /^node dist\/cli\.js http --api-token-file \S+ --allowed-hosts \S+$/,
    ranByTest('test/ivanti/http-protection.test.ts', "serve(['--api-token-file', file, '--allowed-hosts', "),
  ],
  [/^curl -s -X POST http:\/\/127\.0\.0\.1:10001\/actions\/create_incident /, ranByCi(CONTAINER, '.ci/container.sh', /curl .* -X POST "http:\/\/127\.0\.0\.1:\$PORT\/actions\/create_incident"/)],
  [/^docker run --rm -i ivanti-service-manager-plugin run < message\.json$/, ranByCi(CONTAINER, '.ci/container.sh', /podman run -i --rm .*"\$TAG" run < "\$WORK\/stdin\.json"/)],
  [
    /^docker run -d .*-v "\$PWD\/trigger_start\.json:\/run\/secrets\/trigger_start\.json:ro" -e PLUGIN_MESSAGE_FILE=\/run\/secrets\/trigger_start\.json -v ivanti-trigger-state:\/var\/lib\/ivanti-plugin -e TRIGGER_STATE_FILE=\/var\/lib\/ivanti-plugin\/new_incident\.json ivanti-service-manager-plugin run$/,
    ranByCi(
      CONTAINER,
      '.ci/container.sh',
      /podman run -d --name "\$TRIGGER" --user 4242:0 .*-v "\$VOLUME:\/var\/lib\/ivanti-plugin"/,
      /-v "\$WORK\/trigger_start\.json:\/run\/secrets\/trigger_start\.json:ro" -e PLUGIN_MESSAGE_FILE=\/run\/secrets\/trigger_start\.json/,
      /-e TRIGGER_STATE_FILE=\/var\/lib\/ivanti-plugin\/new_incident\.json "\$TAG" run >\/dev\/null/,
    ),
  ],
  [
    /^node dist\/cli\.js (info|sample add_note|--help)$/,
    (t, command) => {
      const r = runNode(command.split(' ').slice(1));
      t.equal(r.code, 0, `${command} exits 0`);
      t.ok(r.stdout.length > 0, `${command} prints something`);
      if (command.endsWith('sample add_note')) t.match(JSON.parse(r.stdout), { type: 'action_start', body: { action: 'add_note' } });
    },
  ],
];

/** The simulator command and its curl examples run together against one simulator. */
const SIMULATOR = /^node dist\/simulator\/cli\.js --port 10080 --api-key MYKEY --admin$/;
const SIMULATOR_CURL = /^curl -s .*http:\/\/127\.0\.0\.1:10080\/__sim\//;

t.test('the README has commands, and each is exercised', async (t) => {
  const commands = readmeCommands();
  t.ok(commands.length >= 10, `${commands.length} commands found`);
  for (const command of commands) {
    if (SIMULATOR.test(command) || SIMULATOR_CURL.test(command)) continue;
    const rule = RULES.find(([pattern]) => pattern.test(command));
    if (!rule) {
      t.fail(`nothing exercises this README command; run it in a test or in CI and add a rule here: ${command}`);
      continue;
    }
    await t.test(command.slice(0, 80), async (t) => rule[1](t, command));
  }
});

t.test('the simulator command and its fault and journal curl examples work as written', async (t) => {
  const commands = readmeCommands();
  const start = commands.find((c) => SIMULATOR.test(c));
  t.ok(start, 'the README starts the simulator');
  // Same options, a free port instead of 10080 so the test never collides.
  const child = spawn(process.execPath, ['dist/simulator/cli.js', '--port', '0', '--api-key', 'MYKEY', '--admin'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    child.kill('SIGTERM');
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator did not print its URL')), 15_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
  });
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+\/HEAT$/, 'it prints its base URL');
  const origin = url.replace(/\/HEAT$/, '');
  const curls = commands.filter((c) => SIMULATOR_CURL.test(c));
  t.ok(curls.length >= 3, 'the README scripts faults and reads the journal');
  for (const command of curls) {
    const args = [...command.replace(/http:\/\/127\.0\.0\.1:10080/g, origin).matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1);
    const r = spawnSync('curl', [...args, '-w', '\n%{http_code}'], { encoding: 'utf8', timeout: 10_000 });
    const status = r.stdout.trim().split('\n').pop();
    t.equal(status, '200', `${command.slice(0, 70)}: 200`);
  }
  const journal = JSON.parse(spawnSync('curl', ['-s', `${origin}/__sim/faults`], { encoding: 'utf8' }).stdout) as Record<string, unknown>;
  t.ok(journal, 'the faults set by the README are in place');
});

t.test('npm run demo -- --keep leaves both servers up and its curl commands work', async (t) => {
  const child = spawn(process.execPath, ['dist/demo/main.js', '--keep'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const lines: string[] = [];
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not print its curl commands:\n${lines.join('\n')}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('rest_api_key=')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  t.match(lines.join('\n'), /All \d+ steps behaved as expected/);
  t.match(lines.join('\n'), /Download the evidence for the report\n.*200 ok.*\n.*identical to the file attached/, 'the attachment comes back byte for byte');
  t.match(lines.join('\n'), /Close Incident quick action\n.*run_quick_action +200 ok.*\n +incident \d+ · Closed by /, 'the quick action closes the incident');
  const curls = lines.filter((l) => l.trim().startsWith('curl '));
  t.ok(curls.length >= 3, 'it prints curl commands');
  for (const command of curls) {
    const r = spawnSync('sh', ['-c', `${command.trim()} -o /dev/null -w '%{http_code}'`], { encoding: 'utf8', timeout: 15_000 });
    t.equal(r.stdout.trim(), '200', `${command.trim().slice(0, 60)}...: 200`);
  }
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.equal(code, 0, 'Ctrl-C stops both servers and the demo exits 0');
});
