/**
 * Linking and unlinking two records through a relationship (`PATCH`/`DELETE
 * {collection}('{RecId}')/{Relationship}('{RelatedRecId}')/$Ref`), with the same answer on every
 * tenant: no source documents what ISM does for a link that exists already or an unlink of
 * records that are not linked, so the link is looked up first, and a step whose work is already
 * done succeeds without writing (`changed: false`).
 */
import { PluginError, Presets } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import { IsmRequestError, type IsmClient } from './client.js';
import { businessObject, recordId, relationshipName, type BusinessObjectRef } from './business-objects.js';
import { isRecordMissing, quoteMessages } from './ism-errors.js';
import { eq, queryString, recordPath } from './odata.js';
import { explainNavigationNotFound, isMissing, unknownRecord } from './record-errors.js';

export interface RelationshipInput {
  object: string;
  record_id: string;
  relationship: string;
}

/** A record's relationship, checked: where its related records are listed. */
export interface RelationshipRef {
  object: BusinessObjectRef;
  recId: string;
  relationship: string;
  /** `{collection}('{RecId}')/{Relationship}` */
  path: string;
}

export function relationshipOf(input: RelationshipInput): RelationshipRef {
  const object = businessObject(input.object);
  const recId = recordId(input.record_id, 'record_id');
  const relationship = relationshipName(input.relationship);
  return { object, recId, relationship, path: `${recordPath(object.collection, recId)}/${relationship}` };
}

/** A failure of a request under a record: an unknown object or relationship, or a missing record. */
export async function explainRelationshipFailure(err: unknown, ref: RelationshipRef, client: IsmClient, log: StepLogger, relatedId?: string): Promise<unknown> {
  if (!(err instanceof IsmRequestError)) return err;
  if (err.status === 404) return explainNavigationNotFound(client, ref.object, ref.relationship, err, log);
  if (isMissing(err, ref.recId)) return unknownRecord(ref.object, ref.recId, err);
  if (relatedId !== undefined && isMissing(err, relatedId)) {
    return new PluginError(Presets.NOT_FOUND, {
      cause: `ISM found no record with the ID ${relatedId} given in 'related_record_id' at the other end of ${ref.relationship} (ISM: ${quoteMessages(err.messages)}).`,
      assistance: `Check 'related_record_id': it must be the RecId of a record of the object ${ref.relationship} leads to.`,
      data: err.data,
    });
  }
  return err;
}

/**
 * Whether the two records are linked: the relationship's list, narrowed to the related record.
 * Undefined when the tenant refuses the narrowed query (a 400 that is not about a missing record).
 */
async function isLinked(client: IsmClient, ref: RelationshipRef, relatedId: string, log: StepLogger): Promise<boolean | undefined> {
  const query = queryString({ filter: eq('RecId', relatedId), select: ['RecId'], top: 1 });
  try {
    const rows = await client.list(`${ref.path}?${query}`, log);
    return rows.some((row) => String(row.RecId ?? '').toUpperCase() === relatedId);
  } catch (err) {
    if (err instanceof IsmRequestError && err.status === 400 && !isRecordMissing(err.messages)) {
      log.warn(`ISM refused to look up the link first (${quoteMessages(err.messages, 200)}); going ahead without knowing whether it exists.`);
      return undefined;
    }
    throw await explainRelationshipFailure(err, ref, client, log);
  }
}

/** Links (`want: true`) or unlinks two records; `changed` is false when there was nothing to do. */
export async function setLink(client: IsmClient, input: RelationshipInput & { related_record_id: string }, want: boolean, log: StepLogger): Promise<{ success: true; changed: boolean }> {
  const ref = relationshipOf(input);
  const relatedId = recordId(input.related_record_id, 'related_record_id');
  const what = `${ref.object.name} ${ref.recId} and ${relatedId} through ${ref.relationship}`;
  const linked = await isLinked(client, ref, relatedId, log);
  if (linked === want) {
    log.info(want ? `${what}: already linked; nothing to do.` : `${what}: not linked; nothing to do.`);
    return { success: true, changed: false };
  }
  log.info(`${want ? 'Linking' : 'Unlinking'} ${what}.`);
  try {
    await client.request(want ? 'PATCH' : 'DELETE', `${ref.path}('${relatedId}')/$Ref`, log);
  } catch (err) {
    // A retried write whose first attempt may have been applied: the link itself says.
    if (err instanceof IsmRequestError && err.earlierAttemptMayHaveApplied && (await isLinked(client, ref, relatedId, log)) === want) {
      log.info(`An earlier attempt of this request ${want ? 'linked' : 'unlinked'} them.`);
      return { success: true, changed: true };
    }
    throw await explainRelationshipFailure(err, ref, client, log, relatedId);
  }
  log.info(want ? `Linked ${what}.` : `Unlinked ${what}.`);
  return { success: true, changed: true };
}
