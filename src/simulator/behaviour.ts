/** Answer switches: the ways tenants differ in answering the same request. Changeable at any time. */

export interface Behaviour {
  /** Status of a successful create: ISM answers 201, some versions 200. */
  createStatus: 201 | 200;
  /** Answer to a successful PUT/PATCH: 200 with the record, or 204 without a body. */
  updateAnswer: 'record' | 'no-content';
  /** Answer to a successful DELETE: 204 without a body, or 200 with `{}`. */
  deleteAnswer: 'no-content' | 'empty-object';
  /**
   * How "no rows" is encoded. `ism`: an empty body for a filter or search matching nothing and
   * for `$skip` past the end, `{"@odata.count":0,"value":[]}` for an empty unfiltered
   * collection, `{"value":"No instances found."}` on a navigation property. The other values
   * force one encoding for all of them.
   */
  noRows: 'ism' | 'empty-body' | 'empty-array' | 'string-value';
}

export const DEFAULT_BEHAVIOUR: Readonly<Behaviour> = Object.freeze({
  createStatus: 201,
  updateAnswer: 'record',
  deleteAnswer: 'no-content',
  noRows: 'ism',
});

/** Checks a (partial) behaviour from an untrusted source; returns the fields it sets. */
export function parseBehaviour(value: unknown): Partial<Behaviour> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('behaviour must be an object');
  const v = value as Record<string, unknown>;
  const out: Partial<Behaviour> = {};
  for (const key of Object.keys(v)) {
    if (!['createStatus', 'updateAnswer', 'deleteAnswer', 'noRows'].includes(key)) throw new Error(`unknown behaviour switch "${key}"`);
  }
  if (v.createStatus !== undefined) {
    if (v.createStatus !== 200 && v.createStatus !== 201) throw new Error('createStatus must be 200 or 201');
    out.createStatus = v.createStatus;
  }
  if (v.updateAnswer !== undefined) {
    if (v.updateAnswer !== 'record' && v.updateAnswer !== 'no-content') throw new Error('updateAnswer must be record or no-content');
    out.updateAnswer = v.updateAnswer;
  }
  if (v.deleteAnswer !== undefined) {
    if (v.deleteAnswer !== 'no-content' && v.deleteAnswer !== 'empty-object') throw new Error('deleteAnswer must be no-content or empty-object');
    out.deleteAnswer = v.deleteAnswer;
  }
  if (v.noRows !== undefined) {
    if (!['ism', 'empty-body', 'empty-array', 'string-value'].includes(v.noRows as string)) {
      throw new Error('noRows must be ism, empty-body, empty-array or string-value');
    }
    out.noRows = v.noRows as Behaviour['noRows'];
  }
  return out;
}
