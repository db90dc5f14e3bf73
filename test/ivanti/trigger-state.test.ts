/**
 * The trigger's state file cannot fail silently: a path that cannot be written, a corrupt file
 * and a second trigger on the same file are each refused at start (exit 1, one error envelope
 * naming the path, the reason and the fix) before any event is delivered; saves are atomic.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { openStateFile, StateFileError } from '../../src/runtime/trigger-state.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startCliTrigger, type CliTrigger } from './cli-trigger.js';
import { KEY } from './helpers.js';


const dir = mkdtempSync(join(tmpdir(), 'trigger-state-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** New Incident as the orchestrator runs it, printing its events (--debug). */
const startTrigger = (sim: Simulator, stateFile: string): CliTrigger => startCliTrigger('new_incident', sim, stateFile);

async function refused(t: Test, sim: Simulator, stateFile: string, pattern: RegExp): Promise<void> {
  const trigger = startTrigger(sim, stateFile);
  const killer = setTimeout(() => void trigger.stop(), 60_000);
  const code = await trigger.exit;
  clearTimeout(killer);
  t.equal(code, 1, 'exit 1');
  const envelope = JSON.parse(trigger.stdout().trim().split('\n')[0]!);
  t.match(envelope, { type: 'trigger_event', body: { status: 'error' } }, 'one error envelope');
  t.match(`${envelope.body.error} ${envelope.body.log}`, pattern);
  t.notMatch(trigger.stdout(), /"status":"ok"/, 'no event was delivered');
}

t.test('the trigger refuses state it cannot keep', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());

  t.test('a path under a file: ENOTDIR, named with the fix', async (t) => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    await refused(t, sim, join(file, 'state.json'), /plain-file\/state\.json.*ENOTDIR.*Fix:/s);
  });

  t.test('a path that is a directory: EISDIR, named with the fix', async (t) => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    await refused(t, sim, path, /a-directory.*EISDIR.*Fix:/s);
  });

  t.test('a directory the user may not write: EACCES', { skip: process.getuid?.() === 0 ? 'root may write anywhere' : false }, async (t) => {
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o500 });
    await refused(t, sim, join(locked, 'state.json'), /EACCES.*Fix:/s);
  });

  t.test('a corrupt file: refused, with how to reset it, and left as it was', async (t) => {
    const path = join(dir, 'corrupt.json');
    writeFileSync(path, '{"new_incident": {"baseUrl": ');
    await refused(t, sim, path, /corrupt\.json is corrupt.*To reset it, stop the trigger and delete or move the file/s);
    t.equal(readFileSync(path, 'utf8'), '{"new_incident": {"baseUrl": ', 'the file is not overwritten');
  });

  t.test('two triggers on one file: the second is refused through the lock', async (t) => {
    const path = join(dir, 'shared.json');
    const first = startTrigger(sim, path);
    t.teardown(() => first.stop());
    for (let i = 0; i < 600 && !/Watching for incidents/.test(first.stderr()); i++) await new Promise((r) => setTimeout(r, 100));
    t.match(first.stderr(), /Watching for incidents/, 'the first trigger runs');
    await refused(t, sim, path, /shared\.json is locked by another running trigger \(pid \d+/);
    t.equal(await first.stop(), 0, 'the first trigger was not disturbed');
    t.notOk(existsSync(`${path}.lock`), 'its lock is gone once it stops');
    const again = startTrigger(sim, path);
    for (let i = 0; i < 600 && !/Resuming after incident/.test(again.stderr()); i++) await new Promise((r) => setTimeout(r, 100));
    t.match(again.stderr(), /Resuming after incident/, 'a trigger started after it takes the file over');
    t.equal(await again.stop(), 0);
  });
});

t.test('the state file module', async (t) => {
  t.test('saves atomically: the file is always whole JSON and no temporary file remains', async (t) => {
    const path = join(dir, 'module', 'state.json');
    const state = openStateFile(path, 'new_incident');
    t.teardown(() => state.release());
    for (let i = 1; i <= 50; i++) {
      await state.save({ last: i });
      t.same(JSON.parse(readFileSync(path, 'utf8')), { new_incident: { last: i } });
    }
    t.same(readdirSync(join(dir, 'module')).sort(), ['state.json', 'state.json.lock']);
    t.same(await state.load(), { last: 50 });
  });

  t.test('keeps the other triggers\' state in the same file', async (t) => {
    const path = join(dir, 'several.json');
    writeFileSync(path, JSON.stringify({ other: { last: 7 } }));
    const state = openStateFile(path, 'new_incident');
    t.teardown(() => state.release());
    await state.save({ last: 3 });
    t.same(JSON.parse(readFileSync(path, 'utf8')), { other: { last: 7 }, new_incident: { last: 3 } });
  });

  t.test('a lock left by a process that is gone is taken over', async (t) => {
    const path = join(dir, 'stale.json');
    // A pid far above any live one on this machine.
    writeFileSync(`${path}.lock`, '4194000\n');
    const state = openStateFile(path, 'new_incident');
    t.equal(readFileSync(`${path}.lock`, 'utf8').trim(), String(process.pid), 'the lock now names this process');
    state.release();
    t.notOk(existsSync(`${path}.lock`));
  });

  t.test('one process cannot open the same file twice', async (t) => {
    const path = join(dir, 'twice.json');
    const first = openStateFile(path, 'a');
    t.teardown(() => first.release());
    t.throws(() => openStateFile(path, 'b'), StateFileError);
  });
});
