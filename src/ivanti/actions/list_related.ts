/**
 * List Related: the records related to one record through a relationship, read page by page by
 * RecId like Search Records. ISM's "No instances found." is an empty list.
 */
import type { ListRelatedInput, ListRelatedOutput } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import type { IsmConnection } from '../ism-connection.js';
import { foundSentence, readByKey } from '../key-paging.js';
import { cleanRecord } from '../lookups.js';
import { explainRelationshipFailure, relationshipOf } from '../relationship-links.js';
import { maxResults } from './search_records.js';

export const listRelated: ActionHandler<ListRelatedInput, ListRelatedOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const ref = relationshipOf(input);
    const max = maxResults(input.max_results);
    log.info(`Listing the records related to ${ref.object.name} ${ref.recId} through ${ref.relationship}, at most ${max}.`);
    const found = await readByKey(client, { path: ref.path, key: 'RecId', max }, log).catch(async (err: unknown) => {
      throw await explainRelationshipFailure(err, ref, client, log);
    });
    log.info(foundSentence(found, 'related record', max));
    return { records: found.rows.map(cleanRecord), count: found.rows.length, truncated: found.more };
  },
};
