/**
 * ISM's answers: the shape of an entity and of a collection (`@odata.context`, `@odata.count`,
 * `value`), the three encodings of "no rows", the link confirmations, and error bodies.
 * An Answer is serialised here and sent as a string by the tenant (tenant.ts).
 */

import type { Behaviour } from './behaviour.js';
import { MESSAGES, type IsmError } from './errors.js';
import { project, type CollectionQuery, type QueryResult } from './query.js';
import type { Prefix } from './routes.js';
import type { StoredRow } from './table.js';

export interface Answer {
  status: number;
  /** Serialised body (bytes for a file); undefined for none. */
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Whether the request changed the tenant's data (for the journal). */
  applied: boolean;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
const NO_INSTANCES = '{"value":"No instances found."}';

export function json(status: number, value: unknown, applied = false): Answer {
  return { status, body: JSON.stringify(value), applied };
}

export function errorAnswer(err: IsmError): Answer {
  return err.body ? json(err.status, err.body) : { status: err.status, applied: false };
}

export function methodNotAllowed(method: string): Answer {
  return json(405, { Message: `The requested resource does not support http method '${method}'.` });
}

/** `ISM_2000 Ok` with "Successfully Created the link" or "... Deleted the link". */
export function linkAnswer(created: boolean, applied: boolean): Answer {
  return json(200, { code: 'ISM_2000', description: 'Ok', message: [created ? MESSAGES.linkCreated : MESSAGES.linkDeleted], help: '' }, applied);
}

/** Which "no rows" case a request is, for the `ism` encoding. */
type NoRowsCase = 'filtered' | 'past-end' | 'unfiltered' | 'navigation';

/** Entity and collection bodies, which depend on the tenant's origin and answer switches. */
export class Answers {
  constructor(
    private readonly behaviour: Behaviour,
    private readonly origin: () => string,
  ) {}

  private context(prefix: Prefix, fragment: string): string {
    return `${this.origin()}${prefix}/api/odata/$metadata#${fragment}`;
  }

  entity(prefix: Prefix, set: string, row: StoredRow, status = 200, applied = false): Answer {
    return json(status, { '@odata.context': this.context(prefix, `${set}/$entity`), ...row.data }, applied);
  }

  collection(prefix: Prefix, set: string, query: CollectionQuery, result: QueryResult, navigation: boolean): Answer {
    if (result.page.length === 0 && !(query.top === 0 && query.skip < result.total)) {
      const kind: NoRowsCase = navigation
        ? 'navigation'
        : result.total > 0
          ? 'past-end'
          : query.filter || query.searchWords
            ? 'filtered'
            : 'unfiltered';
      return this.noRows(kind, result.total);
    }
    const fragment = query.select ? `${set}(${query.select.join(',')})` : set;
    const value = result.page.map((row) => project(row.data, query.select));
    return json(200, { '@odata.context': this.context(prefix, fragment), '@odata.count': result.total, value });
  }

  private noRows(kind: NoRowsCase, total: number): Answer {
    const mode = this.behaviour.noRows;
    const encoding =
      mode !== 'ism' ? mode : kind === 'navigation' ? 'string-value' : kind === 'unfiltered' ? 'empty-array' : 'empty-body';
    switch (encoding) {
      case 'empty-body':
        return { status: 200, body: '', applied: false };
      case 'empty-array':
        return json(200, { '@odata.count': total, value: [] });
      case 'string-value':
        return { status: 200, body: NO_INSTANCES, applied: false };
    }
  }
}
