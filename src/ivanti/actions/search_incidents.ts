/**
 * Search Incidents: structured criteria become an escaped `$filter`, the keyword ISM's
 * full-text `$search`. Pages of 100 are read by key (key-paging.ts), in IncidentNumber order:
 * each page asks for the matches numbered above the last one read (never `$skip`, which skips
 * rows when earlier matches stop matching between pages), until a short page or `max_results`.
 * No match is an empty list, never an error; `truncated` says whether more incidents match.
 */
import type { Incident, SearchIncidentsInput, SearchIncidentsOutput } from '../../generated/types.js';
import { ClientError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { withinBounds } from '../bounds.js';
import type { IsmConnection } from '../ism-connection.js';
import { parseTime } from '../iso-time.js';
import { cleanRecord, findCustomerAndAssignee } from '../lookups.js';
import { foundSentence, readByKey } from '../key-paging.js';
import { and, compare, eq, type Filter } from '../odata.js';
import { given } from './fields.js';

const CRITERIA = ['keyword', 'status', 'customer', 'assignee', 'created_after', 'created_before'] as const;

export const searchIncidents: ActionHandler<SearchIncidentsInput, SearchIncidentsOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const criteria = Object.fromEntries(CRITERIA.map((name) => [name, given(input[name])]));
    if (CRITERIA.every((name) => criteria[name] === undefined)) {
      throw new ClientError(Presets.INVALID_INPUT, `Give at least one search criterion: ${CRITERIA.join(', ')}.`);
    }
    const max = withinBounds('max_results', input.max_results, 'input');
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
    const found = await readByKey(
      client,
      { path: 'incidents', ...(filter ? { filter } : {}), ...(criteria.keyword !== undefined ? { search: criteria.keyword } : {}), key: 'IncidentNumber', max },
      log,
    );
    log.info(foundSentence(found, 'incident', max));
    return { data: found.rows.map((row) => cleanRecord(row) as Incident), count: found.rows.length, truncated: found.more };
  },
};
