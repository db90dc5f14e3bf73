/**
 * What the triggers share: the polling loop (check, then wait `frequency` seconds; a failed check
 * is logged and tried again after a wait that doubles from 1 s to a minute; after
 * UNRECOVERABLE_IN_A_ROW failures that no wait can mend in a row, the loop stops with the error;
 * it ends when the signal aborts), their page size, and the read of the newest incident where
 * watching starts.
 */
import { ClientError, PluginError, Presets } from '../../runtime/errors.js';
import type { StepLogger } from '../../runtime/step-log.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IsmClient, IsmRecord } from '../client.js';

export const TRIGGER_PAGE_SIZE = 100;

/** Reads of an answer without rows (and without a count of 0) before the tenant is believed to have no incidents. */
export const EMPTY_START_READS = 3;

/**
 * The first row of `path` (incidents, newest first), or undefined when the tenant has none. An
 * answer with no rows is believed only when ISM counted 0 or says so EMPTY_START_READS times: an
 * empty 200 (ISM's own "no rows", or a proxy's lost answer) taken at its word would replay the
 * tenant's whole history. `from` says in the log where watching would start instead.
 */
export async function newestIncident(client: IsmClient, path: string, log: StepLogger, signal: AbortSignal, from: string): Promise<IsmRecord | undefined> {
  for (let read = 1; ; read++) {
    const { rows, count } = await client.listPage(path, log, { signal });
    if (rows.length > 0) return rows[0];
    if (count === 0 || read >= EMPTY_START_READS) return undefined;
    log.warn(`ISM answered that there are no incidents at all; asking again before watching from ${from}.`);
  }
}

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
