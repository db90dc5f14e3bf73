/**
 * New Incident: fires once for every incident created after the trigger started, in order of
 * number as they become visible. The checkpoint (see checkpoint.ts) is the highest
 * IncidentNumber handled and the numbers handled just below it; each check first re-reads the
 * look-back window below the checkpoint for numbers that became visible late (a create that
 * committed after a higher one), then reads `IncidentNumber gt <checkpoint>` in ascending
 * pages (each page starting after the last number seen, so a record deleted meanwhile cannot
 * shift a page). An incident counts as handled only once its event was accepted, so a crash
 * in between delivers it again: delivery is at least once. Edits to older incidents never
 * fire. Filters are applied to each new incident once, when it is first seen, so whether an
 * incident fires never depends on timing.
 */
import type { Incident, NewIncidentInput, NewIncidentOutput } from '../../generated/types.js';
import { PluginError, Presets } from '../../runtime/errors.js';
import type { TriggerHandler } from '../../runtime/plugin.js';
import type { StepLogger } from '../../runtime/step-log.js';
import { given } from '../actions/fields.js';
import { withinBounds } from '../bounds.js';
import type { IsmRecord } from '../client.js';
import type { IsmConnection } from '../ism-connection.js';
import { cleanRecord, findEmployee, type Employee } from '../lookups.js';
import { and, collectionPath, compare } from '../odata.js';
import { checkpointState, handled, readCheckpoint, startingCheckpoint, windowStart, type Checkpoint } from './checkpoint.js';
import { newestIncident, pollUntilStopped, TRIGGER_PAGE_SIZE } from './poll.js';

/** Incident numbers below the checkpoint re-read on every check, unless `look_back` says otherwise. */
export const DEFAULT_LOOK_BACK = 50;

/**
 * The numbers in the look-back window that ISM shows now but were never handled: incidents whose
 * create committed after a higher number was seen. Only numbers are read here; rows come later.
 */
async function lateNumbers(client: IsmConnection['client'], log: StepLogger, signal: AbortSignal, checkpoint: Checkpoint, lookBack: number): Promise<number[]> {
  const late: number[] = [];
  let after = windowStart(checkpoint, lookBack);
  while (after < checkpoint.last) {
    const page = await client.list(
      collectionPath('incidents', {
        filter: and(compare('IncidentNumber', 'gt', after), compare('IncidentNumber', 'le', checkpoint.last)),
        select: ['IncidentNumber'],
        orderby: [{ field: 'IncidentNumber' }],
        top: TRIGGER_PAGE_SIZE,
      }),
      log,
      { signal },
    );
    for (const row of page) {
      const number = Number(row.IncidentNumber);
      if (!Number.isInteger(number) || number <= after) continue;
      after = number;
      if (!checkpoint.recent.has(number)) late.push(number);
    }
    if (page.length < TRIGGER_PAGE_SIZE) break;
  }
  return late;
}

/**
 * The highest IncidentNumber in the tenant, where watching starts (0 when it has no incidents;
 * see newestIncident for when an empty answer is believed).
 */
async function highestIncidentNumber(client: IsmConnection['client'], log: StepLogger, signal: AbortSignal): Promise<number> {
  const path = collectionPath('incidents', { select: ['IncidentNumber'], orderby: [{ field: 'IncidentNumber', desc: true }], top: 1 });
  const row = await newestIncident(client, path, log, signal, 'the first one');
  if (!row) return 0;
  const number = Number(row.IncidentNumber);
  if (!Number.isSafeInteger(number) || number < 0) throw new PluginError(Presets.INVALID_JSON, { cause: 'ISM returned the newest incident without a valid IncidentNumber.' });
  return number;
}

export const newIncident: TriggerHandler<NewIncidentInput, NewIncidentOutput, IsmConnection> = {
  checkInput(input) {
    withinBounds('frequency', input.frequency, 'input');
    withinBounds('look_back', input.look_back ?? DEFAULT_LOOK_BACK, 'input');
  },

  async run(input, { connection, log, emitter, signal, state }) {
    const frequencySeconds = withinBounds('frequency', input.frequency, 'input');
    const client = connection.client;
    const baseUrl = client.settings.baseUrl;
    const status = given(input.status)?.toLowerCase();
    const customerId = given(input.customer);
    let customer: Employee | undefined;
    const lookBack = withinBounds('look_back', input.look_back ?? DEFAULT_LOOK_BACK, 'input');
    let checkpoint = readCheckpoint(await state.load(), baseUrl);
    if (checkpoint) log.info(`Resuming after incident ${checkpoint.last} (from the saved checkpoint).`);

    const matches = (row: IsmRecord) =>
      (status === undefined || String(row.Status ?? '').toLowerCase() === status) &&
      (customer === undefined || row.ProfileLink_RecID === customer.recId || row.ProfileLink === customer.recId);

    /** Delivers one incident if it matches, then records it as handled: only then is it saved. */
    const handle = async (row: IsmRecord, number: number, late: boolean) => {
      if (matches(row)) {
        log.info(late ? `New incident ${number}, which became visible after higher numbers.` : `New incident ${number}.`);
        await emitter.emit({ incident: cleanRecord(row) as Incident });
      }
      handled(checkpoint!, number, lookBack);
      await state.save(checkpointState(checkpoint!, baseUrl));
    };

    await pollUntilStopped('new incidents', frequencySeconds, log, signal, async () => {
      if (customerId !== undefined && customer === undefined) customer = await findEmployee(client, customerId, 'customer', log);
      if (checkpoint === undefined) {
        checkpoint = startingCheckpoint(await highestIncidentNumber(client, log, signal));
        await state.save(checkpointState(checkpoint, baseUrl));
        log.info(`Watching for incidents after ${checkpoint.last}; existing incidents are not replayed.`);
      }
      for (const number of await lateNumbers(client, log, signal, checkpoint, lookBack)) {
        if (signal.aborted) break;
        const [row] = await client.list(collectionPath('incidents', { filter: compare('IncidentNumber', 'eq', number), top: 1 }), log, { signal });
        if (row && !signal.aborted) await handle(row, number, true);
      }
      let after = checkpoint.last;
      for (;;) {
        const page = await client.list(
          collectionPath('incidents', { filter: compare('IncidentNumber', 'gt', after), orderby: [{ field: 'IncidentNumber' }], top: TRIGGER_PAGE_SIZE }),
          log,
          // A stop abandons a read at once, even one ISM never answers.
          { signal },
        );
        for (const row of page) {
          if (signal.aborted) break;
          const number = Number(row.IncidentNumber);
          if (!Number.isInteger(number) || number <= after) continue;
          after = number;
          await handle(row, number, false);
        }
        if (signal.aborted || page.length < TRIGGER_PAGE_SIZE) break;
      }
    });
  },
};
