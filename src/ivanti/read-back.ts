/**
 * The record after a write ISM accepted. A PATCH is answered with the record (200) or without a
 * body (204); a quick action, with nothing that is the record. Then the record is read back, and
 * a failed read-back must not look like a failed write, or the user runs the write (and the
 * tenant's workflows) again.
 */
import { PluginError } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import type { IsmClient, IsmResponse } from './client.js';

/**
 * Reads the record at `path` after a write; `done` says what ISM did (`saved the change to
 * incident 10001`), `noun` what is read (`incident`).
 */
export async function readBackAfterWrite(client: IsmClient, path: string, done: string, noun: string, log: StepLogger): Promise<unknown> {
  try {
    return (await client.get(path, log)).body;
  } catch (err) {
    if (!(err instanceof PluginError)) throw err;
    throw new PluginError(err.preset, {
      cause: `ISM ${done}, but reading the ${noun} back failed: ${err.reason}`,
      assistance: `The change was applied; there is no need to run it again. Check the ${noun} in ISM.`,
      data: err.data,
    });
  }
}

/**
 * The answer's body, or the record read back from `path` when ISM sent none; `what` names the
 * record in errors (`incident 10001`), `noun` its kind (`incident`).
 */
export async function recordAfterUpdate(client: IsmClient, answer: IsmResponse, path: string, what: string, noun: string, log: StepLogger): Promise<unknown> {
  if (answer.status !== 204 && answer.body !== undefined) return answer.body;
  log.info('ISM saved the change without returning the record; reading it back.');
  return readBackAfterWrite(client, path, `saved the change to ${what}`, noun, log);
}
