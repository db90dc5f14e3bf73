/**
 * The record after a PATCH: ISM answers 200 with it, or 204 without a body; then it is read
 * back. A failed read-back must not look like a failed update, or the user runs the update (and
 * the tenant's workflows) again.
 */
import { PluginError } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import type { IsmClient, IsmResponse } from './client.js';

/**
 * The answer's body, or the record read back from `path` when ISM sent none; `what` names the
 * record in errors (`incident 10001`), `noun` its kind (`incident`).
 */
export async function recordAfterUpdate(client: IsmClient, answer: IsmResponse, path: string, what: string, noun: string, log: StepLogger): Promise<unknown> {
  if (answer.status !== 204 && answer.body !== undefined) return answer.body;
  log.info('ISM saved the change without returning the record; reading it back.');
  try {
    return (await client.get(path, log)).body;
  } catch (err) {
    if (!(err instanceof PluginError)) throw err;
    throw new PluginError(err.preset, {
      cause: `ISM saved the change to ${what}, but reading the ${noun} back failed: ${err.reason}`,
      assistance: `The update was applied; there is no need to run it again. Check ${what} in ISM.`,
      data: err.data,
    });
  }
}
