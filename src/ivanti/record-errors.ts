/**
 * What ISM's refusals mean for the generic record actions: a 404 for a collection is an object
 * name the tenant does not have; a 400 "cannot be found" names a record that does not exist; a 404
 * under a record is a relationship the object does not have, and the object's metadata then says
 * which relationships it has.
 */
import { PluginError, Presets } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import { IsmRequestError, type IsmClient } from './client.js';
import type { BusinessObjectRef } from './business-objects.js';
import { isRecordMissing, quoteMessages } from './ism-errors.js';
import { navigationProperties, readMetadata } from './metadata.js';
import { collectionPath } from './odata.js';

/** An error for a collection ISM does not have. */
export function unknownObject(object: BusinessObjectRef, err: IsmRequestError): PluginError {
  const plural = /s$/i.test(object.name) ? ` (the plugin adds the s itself: give ${object.name.slice(0, -1)}, not ${object.name})` : '';
  return new PluginError(Presets.NOT_FOUND, {
    cause: `ISM has no business object '${object.name}': it answered 404 for its collection '${object.collection}'.`,
    assistance:
      `Give the object's name as ISM shows it, such as Incident, Problem, Change, CI#Computer or frs_custom_object${plural}. ` +
      'If every object fails this way, check the connection URL (with /HEAT where the tenant uses it).',
    data: err.data,
  });
}

/** An error for a record ID ISM does not know in that object. */
export function unknownRecord(object: BusinessObjectRef, recId: string, err: IsmRequestError, input = 'record_id'): PluginError {
  return new PluginError(Presets.NOT_FOUND, {
    cause: `${object.name} has no record with the ID ${recId} given in '${input}'${err.messages.length ? ` (ISM: ${quoteMessages(err.messages)})` : ''}.`,
    assistance: `Check '${input}': it must be the RecId of a ${object.name} record, for example from Search Records.`,
    data: err.data,
  });
}

/** Whether ISM said that this record cannot be found (its messages quote the ID). */
export function isMissing(err: unknown, recId: string): boolean {
  return err instanceof IsmRequestError && err.status === 400 && isRecordMissing(err.messages) && err.messages.some((m) => m.toUpperCase().includes(recId));
}

/** A failure of a request on a collection, explained when it is a 404 or a missing record. */
export function explainRecordFailure(err: unknown, object: BusinessObjectRef, recId?: string): unknown {
  if (!(err instanceof IsmRequestError)) return err;
  if (err.status === 404) return unknownObject(object, err);
  if (recId !== undefined && isMissing(err, recId)) return unknownRecord(object, recId, err);
  return err;
}

/**
 * A failure of a request on one record (`{collection}('{RecId}')`). ISM answers a missing record
 * with a 400, but a tenant (or a gateway) may answer 404, which would also be its answer for an
 * unknown object: on that error path only, one read of the collection tells which.
 */
export async function explainOneRecordFailure(err: unknown, client: IsmClient, object: BusinessObjectRef, recId: string, log: StepLogger): Promise<unknown> {
  if (err instanceof IsmRequestError && err.status === 404 && (await collectionExists(client, object, log))) return unknownRecord(object, recId, err);
  return explainRecordFailure(err, object, recId);
}

async function collectionExists(client: IsmClient, object: BusinessObjectRef, log: StepLogger): Promise<boolean> {
  try {
    await client.get(collectionPath(object.collection, { select: ['RecId'], top: 1 }), log);
    return true;
  } catch {
    return false;
  }
}

/** The relationship names an object's `$metadata` lists (its navigation properties). */
async function relationshipsOf(client: IsmClient, object: BusinessObjectRef, log: StepLogger): Promise<string[] | undefined> {
  try {
    return navigationProperties(await readMetadata(client, object, log));
  } catch {
    return undefined;
  }
}

/**
 * A 404 under a record: the object or the relationship is unknown. The object's metadata (read
 * once, on this error path only) tells which, and lists the relationship names it does have.
 */
export async function explainNavigationNotFound(client: IsmClient, object: BusinessObjectRef, relationship: string, err: IsmRequestError, log: StepLogger): Promise<PluginError> {
  const names = await relationshipsOf(client, object, log);
  if (names === undefined) {
    return new PluginError(Presets.NOT_FOUND, {
      cause: `ISM answered 404: either it has no business object '${object.name}', or ${object.name} has no relationship '${relationship}'.`,
      assistance: "Check 'object' (as ISM shows it, such as Incident or CI#Computer) and 'relationship' (as the object's metadata names it, such as IncidentAssociatesCI; names are case-sensitive).",
      data: err.data,
    });
  }
  const sameLetters = names.find((n) => n.toLowerCase() === relationship.toLowerCase());
  const listed = names.length === 0 ? 'it has none' : `it has ${names.slice(0, 40).join(', ')}${names.length > 40 ? ', ...' : ''}`;
  return new PluginError(Presets.NOT_FOUND, {
    cause: `${object.name} has no relationship '${relationship}'${sameLetters ? `; relationship names are case-sensitive, and it has '${sameLetters}'` : ''}.`,
    assistance: `Give 'relationship' as ${object.name}'s metadata names it: ${listed}.`,
    data: err.data,
  });
}
