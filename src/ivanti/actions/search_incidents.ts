/**
 * Search Incidents: structured criteria become an escaped `$filter`, the keyword ISM's
 * full-text `$search`; pages of 100 ordered by IncidentNumber are read until a short page
 * or `max_results`. No match is an empty list, never an error.
 */
import type { Incident, SearchIncidentsInput, SearchIncidentsOutput } from '../../generated/types.js';
import { ClientError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { withinBounds } from '../bounds.js';
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
  async run(input, { connection, log }) {
    const client = connection.client;
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
    const filter = parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : and(...parts);

    const max = withinBounds('max_results', input.max_results, 'input');
    const found: Incident[] = [];
    const seen = new Set<string>();
    /** The number of matches, as ISM last counted them (`@odata.count`), when it did. */
    let total: number | undefined;
    for (let skip = 0; found.length < max; ) {
      const top = Math.min(PAGE_SIZE, max - found.length);
      const path = collectionPath('incidents', {
        ...(filter ? { filter } : {}),
        ...(criteria.keyword !== undefined ? { search: criteria.keyword } : {}),
        orderby: [{ field: 'IncidentNumber' }],
        top,
        skip,
      });
      let { rows: page, count } = await client.listPage(path, log);
      // An empty 200 answer reads exactly like "no more rows". A short page where ISM's own
      // count promised more is read again, rather than silently cutting the result short.
      for (let reread = 0; ; reread++) {
        if (count !== undefined) total = count;
        if (!(page.length < top && total !== undefined && skip + page.length < total) || reread >= REREADS) break;
        log.warn(`ISM answered ${page.length} incidents from position ${skip + 1} on, where it had counted ${total} in all; reading that page again.`);
        ({ rows: page, count } = await client.listPage(path, log));
      }
      for (const row of page) {
        // A record that moved between pages must not be listed twice.
        const key = String(row.RecId ?? `#${String(row.IncidentNumber)}`);
        if (seen.has(key)) continue;
        seen.add(key);
        found.push(cleanRecord(row) as Incident);
        if (found.length >= max) break;
      }
      if (page.length < top) break;
      // The next page starts after the rows just read (a last page may have asked fewer than 100).
      skip += top;
    }
    log.info(`Found ${found.length} incident${found.length === 1 ? '' : 's'}${found.length >= max ? ` (stopped at max_results ${max})` : ''}.`);
    return { incidents: found, count: found.length };
  },
};
