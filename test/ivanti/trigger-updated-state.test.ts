/**
 * Updated Incident as the orchestrator runs it, with a state file: it resumes after a restart
 * without repeating a change, a second trigger on the same file is refused through the lock,
 * and a corrupt file is refused with how to reset it, as for New Incident.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startCliTrigger, type CliTrigger } from './cli-trigger.js';
import { KEY } from './helpers.js';


const dir = mkdtempSync(join(tmpdir(), 'trigger-updated-state-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

interface Started extends CliTrigger {
  /** `<IncidentNumber>@<LastModDateTime>` of each event printed. */
  events(): string[];
}

/** Updated Incident as the orchestrator runs it, printing its events (--debug). */
function startTrigger(sim: Simulator, stateFile: string): Started {
  const trigger = startCliTrigger('updated_incident', sim, stateFile);
  return {
    ...trigger,
    events: () =>
      trigger
        .stdout()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { body: { status?: string; output?: { incident: Record<string, unknown> } } })
        .filter((e) => e.body.output !== undefined)
        .map((e) => `${String(e.body.output!.incident.IncidentNumber)}@${String(e.body.output!.incident.LastModDateTime)}`),
  };
}

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

t.test('resumes from its state file: no change repeated, none missed; the file is locked while it runs', async (t) => {
  let now = Date.parse('2030-01-01T12:00:00Z');
  const sim = await startSimulator({ apiKeys: { [KEY]: { role: 'Administrator', user: 'svc_soar' } }, clock: () => new Date(now), utcOffsetMinutes: -420 });
  t.teardown(() => sim.close());
  const path = join(dir, 'state.json');
  const change = (n: number, subject: string) => {
    now += 1000;
    const row = sim.store.updateIncident(n, { Subject: subject }, { user: 'analyst' });
    return `${n}@${String(row.LastModDateTime)}`;
  };

  const first = startTrigger(sim, path);
  t.teardown(() => first.stop());
  await until('the first trigger to watch', () => /Watching for changes after/.test(first.stderr()));
  const one = change(10001, 'first change');
  await until('the first change', () => first.events().length >= 1);
  t.equal(await first.stop(), 0);
  t.same(first.events(), [one]);
  const saved = JSON.parse(readFileSync(path, 'utf8')) as { updated_incident: { last: string; recent: string[] } };
  t.equal(saved.updated_incident.last, '2030-01-01T12:00:01.000Z', 'the place is saved in UTC');
  t.equal(saved.updated_incident.recent.length, 1);

  // Changed while no trigger runs: the same incident again, and another one.
  const two = change(10001, 'second change');
  const three = change(10002, 'another incident');
  const second = startTrigger(sim, path);
  t.teardown(() => second.stop());
  await until('the changes made while stopped', () => second.events().length >= 2);
  t.match(second.stderr(), /Resuming after the change of 2030-01-01T12:00:01.000Z/);

  const intruder = startTrigger(sim, path);
  t.equal(await intruder.exit, 1, 'a second trigger on the same file is refused');
  t.match(intruder.stdout(), /state\.json is locked by another running trigger/);

  const seq = sim.journal.last()!.seq;
  await until('a few more checks', () => sim.journal.last()!.seq >= seq + 3);
  t.equal(await second.stop(), 0);
  t.same(second.events(), [two, three], 'each change once, the first one not again');
});

t.test('a corrupt state file is refused with how to reset it, and left as it was', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const path = join(dir, 'corrupt.json');
  writeFileSync(path, '{"updated_incident": {"last": ');
  const trigger = startTrigger(sim, path);
  t.equal(await trigger.exit, 1);
  t.match(trigger.stdout(), /corrupt\.json is corrupt.*To reset it, stop the trigger and delete or move the file/s);
  t.equal(readFileSync(path, 'utf8'), '{"updated_incident": {"last": ', 'the file is not overwritten');
  t.same(trigger.events(), []);
});
