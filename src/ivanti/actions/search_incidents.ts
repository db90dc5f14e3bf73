/**
 * Search Incidents: structured criteria become an escaped `$filter`, the keyword ISM's
 * full-text `$search`. Pages of 100 are read by key, in IncidentNumber order: each page asks for
 * the matches numbered above the last one read (never `$skip`, which skips rows when earlier
 * matches stop matching between pages), until a short page or `max_results`. No match is an
 * empty list, never an error.
 */
import type { Incident, SearchIncidentsInput, SearchIncidentsOutput } from '../../generated/types.js';
import { ClientError, PluginError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import type { IsmConnection } from '../ism-connection.js';
import { parseTime } from '../iso-time.js';
import { cleanRecord, findCustomerAndAssignee } from '../lookups.js';
import { and, collectionPath, compare, eq, type Filter } from '../odata.js';
import { given } from './fields.js';

export const PAGE_SIZE = 100;
/** Times a page shorter than ISM's count promised is read again before it is taken as the end. */
const REREADS = 2;
const CRITERIA = ['keyword', 'status', 'customer', 'assignee', 'created_after', 'created_before'] as const;

export const searchIncidents: ActionHandler<SearchIncidentsInput, SearchIncidentsOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const criteria = Object.fromEntries(CRITERIA.map((name) => [name, given(input[name])]));
    if (CRITERIA.every((name) => criteria[name] === undefined)) {
      throw new ClientError(Presets.INVALID_INPUT, `Give at least one search criterion: ${CRITERIA.join(', ')}.`);
    }
    const after = parseTime('created_after', criteria.created_after);
    const before = parseTime('created_before', criteria.created_before);
    const { customer, assignee } = await findCustomerAndAssignee(client, { customer: criteria.customer, assignee: criteria.assignee }, log);
    const parts: Filter[] = [];
    if (criteria.status !== undefined) parts.push(eq('Status', criteria.status));
    if (customer) parts.push(eq('ProfileLink_RecID', customer.recId));
    if (assignee) parts.push(eq('Owner', assignee.loginId));
    if (after) parts.push(compare('CreatedDateTime', 'gt', after));
    if (before) parts.push(compare('CreatedDateTime', 'lt', before));

    const max = input.max_results;
    const found: Incident[] = [];
    /** The highest IncidentNumber read so far: the next page starts above it. */
    let lastNumber: number | undefined;
    /** How many matches ISM counted beyond the rows read so far (`@odata.count`), when it did. */
    let expected: number | undefined;
    while (found.length < max) {
      const top = Math.min(PAGE_SIZE, max - found.length);
      const keyed = lastNumber === undefined ? parts : [...parts, compare('IncidentNumber', 'gt', lastNumber)];
      const path = collectionPath('incidents', {
        ...(keyed.length > 0 ? { filter: keyed.length === 1 ? keyed[0]! : and(...keyed) } : {}),
        ...(criteria.keyword !== undefined ? { search: criteria.keyword } : {}),
        orderby: [{ field: 'IncidentNumber' }],
        top,
      });
      let { rows: page, count } = await client.listPage(path, log);
      // An empty 200 answer reads exactly like "no more rows". A short page where ISM's own
      // count promised more is read again, rather than silently cutting the result short.
      for (let reread = 0; ; reread++) {
        if (count !== undefined) expected = count;
        if (!(page.length < top && expected !== undefined && page.length < expected) || reread >= REREADS) break;
        log.warn(`ISM answered ${page.length} incidents${lastNumber === undefined ? '' : ` numbered above ${lastNumber}`}, where it had counted ${expected}; reading that page again.`);
        ({ rows: page, count } = await client.listPage(path, log));
      }
      for (const row of page) {
        const number = row.IncidentNumber;
        if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
          throw new PluginError(Presets.INVALID_JSON, { cause: 'ISM returned an incident without a valid IncidentNumber, so the search cannot go on to the next page.' });
        }
        // Ascending by number: a row at or below the key was already read (or ISM ignored the order).
        if (lastNumber !== undefined && number <= lastNumber) continue;
        lastNumber = number;
        found.push(cleanRecord(row) as Incident);
        if (found.length >= max) break;
      }
      if (expected !== undefined) expected = Math.max(0, expected - page.length);
      if (page.length < top) break;
    }
    log.info(`Found ${found.length} incident${found.length === 1 ? '' : 's'}${found.length >= max ? ` (stopped at max_results ${max})` : ''}.`);
    return { incidents: found, count: found.length };
  },
};
