/**
 * The image's HEALTHCHECK, run as the container runs it (its CMD, in the shipped files' folder):
 * it follows PLUGIN_PORT, so a server moved to another port stays healthy, and it fails where
 * nothing answers. The README's simulator command turns the check off, since the simulator is
 * not the plugin server.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { layOutShippedFiles, runNode, runtimeStage, startNode, shippedEnv } from './shipped.js';


function healthcheckCommand(): string[] {
  const line = runtimeStage().find((l) => /^HEALTHCHECK\s/i.test(l.trim()));
  if (!line) throw new Error('the runtime stage has no HEALTHCHECK');
  const cmd = /\bCMD\s+(\[.*\])\s*$/.exec(line);
  if (!cmd) throw new Error(`HEALTHCHECK without an exec-form CMD: ${line}`);
  return JSON.parse(cmd[1]!) as string[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

t.test('the HEALTHCHECK follows PLUGIN_PORT', async (t) => {
  const [program, ...args] = healthcheckCommand();
  t.equal(program, 'node', 'the check runs Node (the slim image has no curl)');
  const shipped = layOutShippedFiles();
  t.teardown(() => shipped.remove());
  const port = await freePort();
  const env = shippedEnv({ PLUGIN_PORT: String(port), PLUGIN_HOST: '127.0.0.1' });
  const server = await startNode(shipped.dir, ['dist/cli.js', 'http'], (line) => (line.includes('plugin server listening') ? 'up' : undefined), env);
  t.teardown(() => server.stop());
  t.equal((await runNode(shipped.dir, args, '', env)).code, 0, `healthy on PLUGIN_PORT=${port}`);
  const nobody = await freePort();
  t.equal((await runNode(shipped.dir, args, '', shippedEnv({ PLUGIN_PORT: String(nobody) }))).code, 1, 'unhealthy where nothing answers');
});

t.test("the README's simulator command does not inherit the plugin's check", async (t) => {
  const readme = readFileSync('README.md', 'utf8');
  const commands = readme.split('\n').filter((l) => /(docker|podman) run .*dist\/simulator\/cli\.js/.test(l));
  t.ok(commands.length > 0, 'the README shows the simulator in the image');
  for (const command of commands) t.match(command, /--no-healthcheck/, command);
});
