/**
 * Updated Incident: fires once for every change to an incident made after the trigger started.
 * A change is an incident's RecId plus its LastModDateTime (normalised to UTC: tenants answer
 * in their own offset), so an incident changed twice fires twice, and a change already handled
 * never fires again. Each check reads `LastModDateTime ge <window start>` in ascending pages,
 * the window starting `overlap` seconds before the latest change handled: ISM can show a change
 * after a later one (a save that commits late, a workflow that rewrites the time), and such a
 * change is delivered when it appears. Pages go by key, (LastModDateTime, RecId): each page
 * starts after the last key read, so a burst larger than a page is read whole, and a record
 * changed again meanwhile moves to a later page instead of shifting one. A change counts as
 * handled only once its event was accepted (see change-checkpoint.ts), so a crash in between
 * delivers it again: delivery is at least once.
 */
import type { Incident, UpdatedIncidentInput, UpdatedIncidentOutput } from '../../generated/types.js';
import { PluginError, Presets } from '../../runtime/errors.js';
import type { TriggerHandler } from '../../runtime/plugin.js';
import type { StepLogger } from '../../runtime/step-log.js';
import { withinBounds } from '../bounds.js';
import type { IsmRecord } from '../client.js';
import type { IsmConnection } from '../ism-connection.js';
import { cleanRecord } from '../lookups.js';
import { and, collectionPath, compare, or } from '../odata.js';
import {
  changeCheckpointState,
  changeHandled,
  changeWindowStart,
  isNewChange,
  readChangeCheckpoint,
  startingChangeCheckpoint,
  utcMillis,
  type ChangeCheckpoint,
} from './change-checkpoint.js';
import { newestIncident, pollUntilStopped, TRIGGER_PAGE_SIZE } from './poll.js';

/** Seconds before the latest change handled re-read on every check, unless `overlap` says otherwise. */
export const DEFAULT_OVERLAP = 300;

const ORDER = [{ field: 'LastModDateTime' }, { field: 'RecId' }];

/** A time at whole seconds, rounded down: ISM's filters compare at its own precision. */
const wholeSecond = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

interface Key {
  time: number;
  recId: string;
}

const after = (a: Key, b: Key): boolean => a.time > b.time || (a.time === b.time && a.recId > b.recId);

/** The change a row shows: its RecId and its LastModDateTime in UTC, or undefined for a row without them. */
function changeOf(row: IsmRecord): Key | undefined {
  const time = utcMillis(row.LastModDateTime);
  return typeof row.RecId === 'string' && row.RecId !== '' && time !== undefined ? { time, recId: row.RecId.toUpperCase() } : undefined;
}

/**
 * The latest LastModDateTime in the tenant, where watching starts (0 when it has no incidents;
 * see newestIncident for when an empty answer is believed).
 */
async function latestChange(client: IsmConnection['client'], log: StepLogger, signal: AbortSignal): Promise<number> {
  const path = collectionPath('incidents', { select: ['RecId', 'LastModDateTime'], orderby: [{ field: 'LastModDateTime', desc: true }], top: 1 });
  const row = await newestIncident(client, path, log, signal, 'the first change');
  if (!row) return 0;
  const time = utcMillis(row.LastModDateTime);
  if (time === undefined) throw new PluginError(Presets.INVALID_JSON, { cause: 'ISM returned the latest changed incident without a valid LastModDateTime.' });
  return time;
}

/**
 * Every row changed from the window's start on, in key order, page by page: each page asks for
 * the keys after the last one read, so rows are never lost between pages.
 */
async function* changedRows(client: IsmConnection['client'], log: StepLogger, signal: AbortSignal, from: number): AsyncGenerator<IsmRecord> {
  let last: Key | undefined;
  for (;;) {
    const filter =
      last === undefined
        ? compare('LastModDateTime', 'ge', wholeSecond(from))
        : or(compare('LastModDateTime', 'gt', wholeSecond(last.time)), and(compare('LastModDateTime', 'ge', wholeSecond(last.time)), compare('RecId', 'gt', last.recId)));
    const page = await client.list(collectionPath('incidents', { filter, orderby: ORDER, top: TRIGGER_PAGE_SIZE }), log, { signal });
    const before = last;
    for (const row of page) {
      const key = changeOf(row);
      if (key === undefined) {
        log.warn('ISM answered a changed incident without its RecId or a valid LastModDateTime; it is skipped.');
        continue;
      }
      if (last === undefined || after(key, last)) last = key;
      yield row;
    }
    if (signal.aborted || page.length < TRIGGER_PAGE_SIZE) return;
    if (before !== undefined && last !== undefined && !after(last, before)) {
      throw new PluginError(Presets.SERVER_ERROR, {
        cause: `ISM answered the same ${page.length} changed incidents again for the next page, so the rest cannot be read safely.`,
      });
    }
  }
}

export const updatedIncident: TriggerHandler<UpdatedIncidentInput, UpdatedIncidentOutput, IsmConnection> = {
  checkInput(input) {
    withinBounds('frequency', input.frequency, 'input');
    withinBounds('overlap', input.overlap ?? DEFAULT_OVERLAP, 'input');
  },

  async run(input, { connection, log, emitter, signal, state }) {
    const frequencySeconds = withinBounds('frequency', input.frequency, 'input');
    const overlap = withinBounds('overlap', input.overlap ?? DEFAULT_OVERLAP, 'input');
    const ignored = (input.ignore_changes_by ?? '').trim().toLowerCase();
    const client = connection.client;
    const baseUrl = client.settings.baseUrl;
    let checkpoint: ChangeCheckpoint | undefined = readChangeCheckpoint(await state.load(), baseUrl);
    if (checkpoint) log.info(`Resuming after the change of ${new Date(checkpoint.last).toISOString()} (from the saved checkpoint).`);

    /** Delivers one change unless its author is ignored, then records it as handled: only then is it saved. */
    const handle = async (row: IsmRecord, change: Key) => {
      const by = String(row.LastModBy ?? '').toLowerCase();
      if (ignored !== '' && by === ignored) {
        log.info(`Incident ${String(row.IncidentNumber)} changed by ${String(row.LastModBy)}, whose changes are ignored.`);
      } else {
        log.info(`Incident ${String(row.IncidentNumber)} changed at ${new Date(change.time).toISOString()}.`);
        await emitter.emit({ incident: cleanRecord(row) as Incident });
      }
      changeHandled(checkpoint!, change.recId, change.time, overlap);
      await state.save(changeCheckpointState(checkpoint!, baseUrl));
    };

    await pollUntilStopped('changed incidents', frequencySeconds, log, signal, async () => {
      if (checkpoint === undefined) {
        checkpoint = startingChangeCheckpoint(await latestChange(client, log, signal));
        await state.save(changeCheckpointState(checkpoint, baseUrl));
        log.info(`Watching for changes after ${new Date(checkpoint.last).toISOString()}; earlier changes are not replayed.`);
      }
      for await (const row of changedRows(client, log, signal, changeWindowStart(checkpoint, overlap))) {
        if (signal.aborted) break;
        const change = changeOf(row)!;
        if (isNewChange(checkpoint, change.recId, change.time, overlap)) await handle(row, change);
      }
    });
  },
};
