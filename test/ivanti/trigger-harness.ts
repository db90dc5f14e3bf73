/**
 * What the in-process trigger tests share: a trigger state kept in memory, and waits on the
 * real clock (the tests shorten the trigger's own waits by mocking its timer import, which
 * does not reach this module).
 */
import { setTimeout as realSleep } from 'node:timers/promises';
import type { TriggerState } from '../../src/runtime/plugin.js';
import type { Simulator } from '../../src/simulator/index.js';

/** A trigger state kept in memory; `saved` is what the trigger saved last. */
export function memoryState(): TriggerState & { saved?: Record<string, unknown> } {
  const state: TriggerState & { saved?: Record<string, unknown> } = {
    load: async () => state.saved,
    save: async (s) => void (state.saved = structuredClone(s)),
  };
  return state;
}

/** Resolves once `condition` holds; gives up after two minutes, naming what it waited for. */
export async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    if (condition()) return;
    await realSleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Resolves once the simulator has answered `count` more requests (the trigger's checks). */
export async function checks(sim: Simulator, count: number): Promise<void> {
  const seq = () => sim.journal.last()?.seq ?? 0;
  const before = seq();
  await until(`${count} more checks`, () => seq() >= before + count);
}
