/**
 * The business object router: what each method does on a collection (`{set}`), a record
 * (`{set}('{RecId}')`), a relationship (`{set}('{RecId}')/{Relationship}`), a link
 * (`.../{Relationship}('{RelatedRecId}')/$Ref`), a quick action (`POST {set}('{RecId}')/{Action}`)
 * and a schema (`{set}/$metadata`), for any object the store holds. The object's
 * own rules (objects/*.ts) decide what a write does; this module decides which write it is,
 * who may make it, and how ISM answers it.
 */

import { linkAnswer, methodNotAllowed, type Answer, type Answers } from './answers.js';
import type { Behaviour } from './behaviour.js';
import { badRequest, MESSAGES, notFound, parseBody } from './errors.js';
import type { JournalEntry } from './journal.js';
import type { KeyGrant } from './keys.js';
import { renderMetadata } from './metadata.js';
import type { Actor, BusinessObject, QuickAction } from './objects/business-object.js';
import { runQuickAction } from './quick-actions.js';
import { readCollectionQuery, runCollectionQuery, type CollectionQuery, type FilterOutcome } from './query.js';
import type { ApiRoute, KeyProblem } from './routes.js';
import type { TenantStore } from './store.js';
import type { StoredRow } from './table.js';

export interface RouterContext {
  store: TenantStore;
  behaviour: Behaviour;
  answers: Answers;
}

/** One business object request, once authenticated. */
export interface ObjectRequest {
  method: string;
  route: ApiRoute;
  options: Record<string, string>;
  bodyText: string;
  grant: KeyGrant;
  /** The request's journal entry, which records the parsed `$filter`. */
  entry: JournalEntry | undefined;
}

type Verb = 'create' | 'update' | 'delete';

function keyError(problem: KeyProblem | null): never {
  throw badRequest(problem === 'empty' ? MESSAGES.emptyKey : MESSAGES.invalidKey);
}

function findRecord(object: BusinessObject, key: string): StoredRow {
  const row = object.table.get(key);
  if (!row) throw badRequest(MESSAGES.recordNotFound(key, object.schema.recordObject));
  return row;
}

function requireWrite(grant: KeyGrant, verb: Verb, object: BusinessObject): void {
  if (!grant.canWrite) throw badRequest(MESSAGES.roleDenied(grant.role, verb, object.schema.roleObject));
}

function readQuery(options: Record<string, string>, object: BusinessObject, entry: JournalEntry | undefined): CollectionQuery {
  return readCollectionQuery(options, object.schema, entry ? (outcome: FilterOutcome) => (entry.filter = outcome) : undefined);
}

export function createRouter(ctx: RouterContext): (request: ObjectRequest) => Answer {
  const { store, answers } = ctx;

  /** `POST {set}('{RecId}')/{QuickActionName}` (names are case-sensitive, as the metadata gives them). */
  function quickAction(request: ObjectRequest, object: BusinessObject, key: string, action: QuickAction): Answer {
    const { grant, route } = request;
    requireWrite(grant, 'update', object);
    const row = findRecord(object, key);
    const number = row.data.IncidentNumber ?? row.data.RecId;
    const { answer, applied } = runQuickAction(action, row, parseBody(request.bodyText), {
      actor: { user: grant.user },
      lists: store.lists,
      recordName: `${object.schema.typeName} ${String(number)}`,
      objectName: object.schema.roleObject,
    });
    // An action answers with a record of its own object (the copy Clone made), or with nothing.
    return answer ? answers.entity(route.prefix, object.schema.set, answer, 200, applied) : { status: 200, applied };
  }

  /** `{set}('{RecId}')/{Relationship}`, `.../{Relationship}('{RelatedRecId}')/$Ref`, and quick actions. */
  function navigate(request: ObjectRequest, object: BusinessObject, key: string, navigation: string): Answer {
    const { method, route, grant } = request;
    const action = object.quickActions?.find((a) => a.name === navigation);
    if (action && method === 'POST' && !route.ref && route.navigationKey === null && route.navigationKeyProblem === null) return quickAction(request, object, key, action);
    const relationship = store.relationship(object.schema.set, navigation);
    if (!relationship) throw notFound();
    if (route.ref) {
      if (route.navigationKeyProblem || route.navigationKey === null) keyError(route.navigationKeyProblem);
      if (method !== 'PATCH' && method !== 'PUT' && method !== 'POST' && method !== 'DELETE') return methodNotAllowed(method);
      requireWrite(grant, method === 'DELETE' ? 'delete' : 'update', object);
      const from = findRecord(object, key);
      const to = findRecord(relationship.to, route.navigationKey);
      const actor: Actor = { user: grant.user };
      // A link that exists already, or an unlink of records that are not linked, is answered as
      // done and changes nothing (relationships.ts).
      if (method === 'DELETE') return linkAnswer(false, relationship.unlink(from, to, actor));
      return linkAnswer(true, relationship.link(from, to, actor));
    }
    if (route.navigationKey !== null || route.navigationKeyProblem !== null) throw notFound();
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(method);
    const from = findRecord(object, key);
    const query = readQuery(request.options, relationship.to, request.entry);
    const result = runCollectionQuery(relationship.to.table, relationship.to.schema, query, relationship.related(from));
    return answers.collection(route.prefix, relationship.to.schema.set, query, result, true);
  }

  /** `{set}('{RecId}')`. */
  function record(request: ObjectRequest, object: BusinessObject, key: string): Answer {
    const { method, route, grant } = request;
    const set = object.schema.set;
    if (method === 'GET' || method === 'HEAD') return answers.entity(route.prefix, set, findRecord(object, key));
    if (method === 'PUT' || method === 'PATCH') {
      if (!object.writable) return methodNotAllowed(method);
      requireWrite(grant, 'update', object);
      const row = findRecord(object, key);
      object.update(row, parseBody(request.bodyText), { user: grant.user });
      return ctx.behaviour.updateAnswer === 'no-content' ? { status: 204, applied: true } : answers.entity(route.prefix, set, row, 200, true);
    }
    if (method === 'DELETE') {
      if (!object.writable) return methodNotAllowed(method);
      requireWrite(grant, 'delete', object);
      store.removeRecord(object, findRecord(object, key));
      return ctx.behaviour.deleteAnswer === 'empty-object' ? { status: 200, body: '{}', applied: true } : { status: 204, applied: true };
    }
    return methodNotAllowed(method);
  }

  /** `{set}`. */
  function collection(request: ObjectRequest, object: BusinessObject): Answer {
    const { method, route, grant } = request;
    if (method === 'GET' || method === 'HEAD') {
      const query = readQuery(request.options, object, request.entry);
      return answers.collection(route.prefix, object.schema.set, query, runCollectionQuery(object.table, object.schema, query), false);
    }
    if (method === 'POST') {
      if (!object.writable) return methodNotAllowed(method);
      requireWrite(grant, 'create', object);
      const row = object.create(parseBody(request.bodyText), { user: grant.user });
      return answers.entity(route.prefix, object.schema.set, row, ctx.behaviour.createStatus, true);
    }
    return methodNotAllowed(method);
  }

  /** `{set}/$metadata`: the schema, as XML whatever the client accepts. */
  function metadata(request: ObjectRequest, object: BusinessObject): Answer {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed(request.method);
    const body = renderMetadata(object, store.relationshipsOf(object.schema.set));
    return { status: 200, body, contentType: 'application/xml; charset=utf-8', applied: false };
  }

  return (request) => {
    const { route } = request;
    const object = route.setName === null ? undefined : store.object(route.setName);
    if (!route.wellFormed || object === undefined) throw notFound();
    if (route.metadata) return metadata(request, object);
    if (route.keyProblem) keyError(route.keyProblem);
    if (route.navigation !== null) {
      if (route.key === null) throw notFound();
      return navigate(request, object, route.key, route.navigation);
    }
    if (route.key !== null) return record(request, object, route.key);
    return collection(request, object);
  };
}
