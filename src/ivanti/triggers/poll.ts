/**
 * The polling loop the triggers share: check, then wait `frequency` seconds. A failed check is
 * logged and tried again after a wait that doubles from 1 s to a minute; after
 * UNRECOVERABLE_IN_A_ROW failures that no wait can mend in a row, the loop stops with the error.
 * It ends when the signal aborts.
 */
import { ClientError, PluginError, Presets } from '../../runtime/errors.js';
import type { StepLogger } from '../../runtime/step-log.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** Backoff after a failed check: 1 s doubling to 60 s, reset by a good check. */
export const FIRST_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 60_000;

/**
 * Failures no wait can mend, for a trigger whose connection and input are fixed when it
 * starts: ISM rejecting the API key, and an input that names nothing ISM can be asked about.
 * After this many in a row (a gateway's passing 401 is forgiven) the trigger stops, exit 1,
 * instead of polling a tenant that will never answer it.
 */
export const UNRECOVERABLE_IN_A_ROW = 3;

export function unrecoverable(err: unknown): boolean {
  return err instanceof ClientError || (err instanceof PluginError && err.preset === Presets.INVALID_API_KEY);
}

/** Runs `check` every `frequencySeconds` until `signal` aborts; `what` names what is checked for in log lines ("new incidents"). */
export async function pollUntilStopped(what: string, frequencySeconds: number, log: StepLogger, signal: AbortSignal, check: () => Promise<void>): Promise<void> {
  let backoff = FIRST_BACKOFF_MS;
  let unrecoverableInARow = 0;
  while (!signal.aborted) {
    try {
      await check();
      backoff = FIRST_BACKOFF_MS;
      unrecoverableInARow = 0;
      await sleep(frequencySeconds * 1000, undefined, { signal });
    } catch (err) {
      if (signal.aborted) break;
      unrecoverableInARow = unrecoverable(err) ? unrecoverableInARow + 1 : 0;
      if (unrecoverableInARow >= UNRECOVERABLE_IN_A_ROW) {
        log.error(`Checking for ${what} failed ${unrecoverableInARow} times in a row: ${(err as Error).message} Waiting will not fix this, so the trigger stops; fix the connection or the input and start it again.`);
        throw err;
      }
      log.error(`Checking for ${what} failed: ${(err as Error).message} Trying again in ${Math.round(backoff / 1000)} s.`);
      try {
        await sleep(backoff, undefined, { signal });
      } catch {
        break;
      }
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }
}
