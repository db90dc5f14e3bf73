/**
 * The tenant's API: authentication, routing, the business object operations, the answers in
 * ISM's shapes, faults, and the request journal, as the handlers of a Fastify app (server.ts).
 *
 * Every request outside the admin routes takes the same two steps: `arrive` (an onRequest
 * hook: journal entry, fault draw, and the faults that take the connection over before the body
 * is read) and `answer` (the handler: body, operation, ISM's answer). The OData routes, the
 * attachment route and the not-found handler all run them, and the path is always read by
 * `parseApiPath`, never from Fastify's params: a path the router does not match (another casing
 * of /HEAT, /api/rest/..., an unknown method) is answered exactly as ISM answers it. Bodies arrive
 * as raw Buffers from a catch-all content-type parser: the OData handlers read them as UTF-8 text,
 * so ISM's own messages for empty or malformed bodies stay, and the attachment endpoint parses its
 * multipart body itself (multipart.ts), byte for byte. Fastify's own 400/415 answers never reach a
 * client. Answers are serialised here and sent as
 * strings (no schema, no serializer); `reply.hijack()` and the socket are used only by the faults
 * that must not answer (hang, reset-before, reset-after).
 */

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { IsmError, MESSAGES, UNAUTHORIZED_BODY, badRequest, notFound } from './errors.js';
import { MultipartError, boundaryOf, parseMultipart } from './multipart.js';
import type { FaultController, FaultSpec } from './faults.js';
import type { JournalEntry, RingJournal } from './journal.js';
import { project, readCollectionQuery, runCollectionQuery, type CollectionQuery, type FilterOutcome, type QueryResult } from './query.js';
import { canonicalSet, parseApiPath, type ApiRoute, type Prefix } from './routes.js';
import type { ObjectSchema, SetName } from './schema.js';
import type { Counters } from './stats.js';
import type { Actor, TenantStore, UploadFile } from './store.js';
import type { StoredRow, Table } from './table.js';


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

export interface KeyGrant {
  role: string;
  /** The login the key acts as (CreatedBy, LastModBy). */
  user: string;
  canWrite: boolean;
}

export interface RequestLogger {
  info(obj: object, msg?: string): void;
}

export interface TenantContext {
  store: TenantStore;
  faults: FaultController;
  journal: RingJournal;
  behaviour: Behaviour;
  keys: ReadonlyMap<string, KeyGrant>;
  prefixes: readonly Prefix[];
  /** `http://127.0.0.1:PORT`, known once listening. */
  origin(): string;
  tenantName: string;
  logger: RequestLogger | undefined;
  /** Timers of `latency` faults, cleared on close. */
  timers: Set<NodeJS.Timeout>;
  counters: Counters;
  /** Largest body of an upload to `api/rest/Attachment` (other requests: MAX_BODY). */
  attachmentBodyLimit: number;
}

/** The handlers server.ts registers with Fastify. */
export interface TenantApi {
  /** onRequest hook: journals the request and draws its fault; a hang or reset-before takes the reply over here. */
  arrive(request: FastifyRequest, reply: FastifyReply): void;
  /** Handler of the OData routes and of the not-found handler. */
  answer(request: FastifyRequest, reply: FastifyReply): void;
  /** Error handler: a body over the limit answers 413; anything else Fastify objected to is answered as ISM would. */
  fail(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void;
  /** Both steps, for a request that reached neither (a URL Fastify's router cannot decode). */
  serve(request: FastifyRequest, reply: FastifyReply): void;
}

/** What `arrive` learned about a request, for `answer`. Kept on the request under EXCHANGE. */
interface Exchange {
  started: number;
  route: ApiRoute | null;
  options: Record<string, string>;
  fault: FaultSpec | undefined;
  entry: JournalEntry | undefined;
  /** The multipart body of an upload, read once by `answer` (or why it could not be read). */
  upload?: Upload;
}

/** An attachment upload's form: its text fields (as sent) and its files. */
type Upload = { fields: Array<[name: string, value: string]>; files: UploadFile[] } | { error: string };

/** A text field of an upload; form field names are matched case-insensitively, the first wins. */
function formField(upload: { fields: Array<[string, string]> }, name: string): string | undefined {
  return upload.fields.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** What the journal keeps of an upload: the fields, and each file's name and size, never its bytes. */
function journalUpload(upload: Upload, size: number): unknown {
  if ('error' in upload) return { error: upload.error, size };
  return {
    fields: Object.fromEntries([...upload.fields].reverse()),
    files: upload.files.map((f) => ({ fileName: f.fileName, size: f.data.length, contentType: f.contentType ?? null })),
  };
}

/** The name a file part gives its file, without any path a client may have sent with it. */
function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

function readUpload(contentType: string | undefined, body: Buffer): Upload {
  try {
    const parts = parseMultipart(body, boundaryOf(contentType));
    const fields: Array<[string, string]> = [];
    const files: UploadFile[] = [];
    for (const part of parts) {
      if (part.filename === undefined) {
        fields.push([part.name, part.data.toString('utf8')]);
      } else if (baseName(part.filename) !== '') {
        // A file input left empty is sent with filename="": no file.
        files.push({ fileName: baseName(part.filename), data: part.data, contentType: part.contentType });
      }
    }
    return { fields, files };
  } catch (err) {
    if (err instanceof MultipartError) return { error: err.message };
    throw err;
  }
}

/** The request decoration holding the Exchange (server.ts declares it with `decorateRequest`). */
export const EXCHANGE = Symbol('ism-simulator.exchange');
type TenantRequest = FastifyRequest & { [EXCHANGE]: Exchange | null };

/**
 * Query options as the tenant reads them: decoded by URLSearchParams (`%27`, `+`, ...), and the
 * first of a repeated name wins. Also Fastify's query string parser, so the router's parse of a
 * matched route is the one the handlers use.
 */
export function parseQueryOptions(search: string): Record<string, string> {
  const options: Record<string, string> = {};
  if (search === '') return options;
  for (const [k, v] of new URLSearchParams(search)) if (!(k in options)) options[k] = v;
  return options;
}


interface Answer {
  status: number;
  /** Serialised body; undefined for none. */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  applied: boolean;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
const AUTH_PREFIX = 'rest_api_key=';
/** Largest request body read (Fastify's bodyLimit too). */
export const MAX_BODY = 10 * 1024 * 1024;
/** Most bytes of a too-large body read (and dropped) before its 413 is sent; beyond, the connection is dropped. */
const DRAIN_LIMIT = 256 * 1024 * 1024;
const NO_INSTANCES = '{"value":"No instances found."}';

function json(status: number, value: unknown, applied = false): Answer {
  return { status, body: JSON.stringify(value), applied };
}

function errorAnswer(err: IsmError): Answer {
  return err.body ? json(err.status, err.body) : { status: err.status, applied: false };
}

function methodNotAllowed(method: string): Answer {
  return json(405, { Message: `The requested resource does not support http method '${method}'.` });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}


export function createTenantApi(ctx: TenantContext): TenantApi {
  const schemaOf = (set: SetName): ObjectSchema =>
    set === 'incidents' ? ctx.store.incidentSchema : set === 'employees' ? ctx.store.employeeSchema : ctx.store.noteSchema;
  const tableOf = (set: SetName): Table =>
    set === 'incidents' ? ctx.store.incidentTable : set === 'employees' ? ctx.store.employeeTable : ctx.store.noteTable;
  const context = (prefix: Prefix, fragment: string): string => `${ctx.origin()}${prefix}/api/odata/$metadata#${fragment}`;

  // ---------------------------------------------------------------------------------------------
  // Answers

  function entity(prefix: Prefix, set: SetName, row: StoredRow, status = 200, applied = false): Answer {
    return json(status, { '@odata.context': context(prefix, `${set}/$entity`), ...row.data }, applied);
  }

  type NoRowsCase = 'filtered' | 'past-end' | 'unfiltered' | 'navigation';
  function noRows(kind: NoRowsCase, total: number): Answer {
    const mode = ctx.behaviour.noRows;
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

  function collection(prefix: Prefix, set: SetName, query: CollectionQuery, result: QueryResult, navigation: boolean): Answer {
    if (result.page.length === 0 && !(query.top === 0 && query.skip < result.total)) {
      const kind: NoRowsCase = navigation
        ? 'navigation'
        : result.total > 0
          ? 'past-end'
          : query.filter || query.searchWords
            ? 'filtered'
            : 'unfiltered';
      return noRows(kind, result.total);
    }
    const fragment = query.select ? `${set}(${query.select.join(',')})` : set;
    const value = result.page.map((row) => project(row.data, query.select));
    return json(200, { '@odata.context': context(prefix, fragment), '@odata.count': result.total, value });
  }

  // ---------------------------------------------------------------------------------------------
  // Operations

  function readQuery(options: Record<string, string>, schema: ObjectSchema, entry: JournalEntry | undefined): CollectionQuery {
    return readCollectionQuery(options, schema, entry ? (outcome: FilterOutcome) => (entry.filter = outcome) : undefined);
  }

  function parseBody(text: string): unknown {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw badRequest(MESSAGES.invalidJson);
    }
  }

  function findRecord(set: SetName, key: string): StoredRow {
    const row = tableOf(set).get(key);
    if (!row) throw badRequest(MESSAGES.recordNotFound(key, schemaOf(set).recordObject));
    return row;
  }

  function requireWrite(grant: KeyGrant, verb: 'create' | 'update' | 'delete', set: SetName): void {
    if (!grant.canWrite) throw badRequest(MESSAGES.roleDenied(grant.role, verb, schemaOf(set).roleObject));
  }

  function operate(method: string, route: ApiRoute, set: SetName, options: Record<string, string>, bodyText: string, grant: KeyGrant, entry: JournalEntry | undefined): Answer {
    const { prefix } = route;
    const schema = schemaOf(set);
    const actor: Actor = { user: grant.user };
    const isRead = method === 'GET' || method === 'HEAD';

    if (route.keyProblem) throw badRequest(route.keyProblem === 'empty' ? MESSAGES.emptyKey : MESSAGES.invalidKey);

    // Navigation: incidents('R')/IncidentContainsJournal[('N')/$Ref]
    if (route.navigation !== null) {
      if (set !== 'incidents' || route.key === null || route.navigation.toLowerCase() !== 'incidentcontainsjournal') throw notFound();
      if (route.ref) {
        if (route.navigationKeyProblem || route.navigationKey === null) {
          throw badRequest(route.navigationKeyProblem === 'empty' ? MESSAGES.emptyKey : MESSAGES.invalidKey);
        }
        if (method !== 'PATCH' && method !== 'PUT' && method !== 'POST' && method !== 'DELETE') return methodNotAllowed(method);
        requireWrite(grant, method === 'DELETE' ? 'delete' : 'update', 'incidents');
        const incident = findRecord('incidents', route.key);
        const note = findRecord('journal__notess', route.navigationKey);
        if (method === 'DELETE') {
          ctx.store.unlinkNote(note, actor);
          return json(200, { code: 'ISM_2000', description: 'Ok', message: [MESSAGES.linkDeleted], help: '' }, true);
        }
        ctx.store.linkNote(incident, note, actor);
        return json(200, { code: 'ISM_2000', description: 'Ok', message: [MESSAGES.linkCreated], help: '' }, true);
      }
      if (route.navigationKey !== null || route.navigationKeyProblem !== null) throw notFound();
      if (!isRead) return methodNotAllowed(method);
      const incident = findRecord('incidents', route.key);
      const notes = ctx.store.noteTable.lookup('ParentLink_RecID', String(incident.data.RecId)) ?? [];
      const query = readQuery(options, ctx.store.noteSchema, entry);
      return collection(prefix, 'journal__notess', query, runCollectionQuery(ctx.store.noteTable, ctx.store.noteSchema, query, notes), true);
    }

    // One record: set('key')
    if (route.key !== null) {
      if (isRead) return entity(prefix, set, findRecord(set, route.key));
      if (method === 'PUT' || method === 'PATCH') {
        if (set === 'employees') return methodNotAllowed(method);
        requireWrite(grant, 'update', set);
        const row = findRecord(set, route.key);
        const body = parseBody(bodyText);
        if (set === 'incidents') ctx.store.writeIncident(row, body, actor);
        else ctx.store.writeNote(row, body, actor);
        return ctx.behaviour.updateAnswer === 'no-content' ? { status: 204, applied: true } : entity(prefix, set, row, 200, true);
      }
      if (method === 'DELETE') {
        if (set === 'employees') return methodNotAllowed(method);
        requireWrite(grant, 'delete', set);
        const row = findRecord(set, route.key);
        if (set === 'incidents') ctx.store.deleteIncident(row);
        else ctx.store.deleteNote(row);
        return ctx.behaviour.deleteAnswer === 'empty-object' ? { status: 200, body: '{}', applied: true } : { status: 204, applied: true };
      }
      return methodNotAllowed(method);
    }

    // The collection
    if (isRead) {
      const query = readQuery(options, schema, entry);
      return collection(prefix, set, query, runCollectionQuery(tableOf(set), schema, query), false);
    }
    if (method === 'POST') {
      if (set === 'employees') return methodNotAllowed(method);
      requireWrite(grant, 'create', set);
      const body = parseBody(bodyText);
      const row = set === 'incidents' ? ctx.store.writeIncident(undefined, body, actor) : ctx.store.writeNote(undefined, body, actor);
      return entity(prefix, set, row, ctx.behaviour.createStatus, true);
    }
    return methodNotAllowed(method);
  }

  /**
   * `POST {prefix}/api/rest/Attachment`: multipart with the text fields ObjectID (the record's
   * RecId) and ObjectType (`incident#`) and one or more files. 200 with one result per file when
   * every file was stored; HTTP 300 ISM_3000 "Validation Error" with the same list when some file
   * was refused (its name already attached to the record, or a blocked type); the others are
   * stored all the same.
   */
  function operateAttachment(method: string, upload: Upload | undefined, grant: KeyGrant): Answer {
    if (method !== 'POST') return methodNotAllowed(method);
    if (!grant.canWrite) throw badRequest(MESSAGES.roleDenied(grant.role, 'create', 'Attachment'));
    if (!upload) throw badRequest(MESSAGES.notMultipart('the request has no body'));
    if ('error' in upload) throw badRequest(MESSAGES.notMultipart(upload.error));
    const objectId = formField(upload, 'ObjectID')?.trim() ?? '';
    const objectType = formField(upload, 'ObjectType')?.trim() ?? '';
    if (objectId === '') throw badRequest(MESSAGES.formFieldMissing('ObjectID'));
    if (objectType === '') throw badRequest(MESSAGES.formFieldMissing('ObjectType'));
    const typeName = objectType.replace(/#$/, '').toLowerCase();
    // Only incidents live in this tenant: a record of any other type cannot be found.
    const parent = typeName === 'incident' ? ctx.store.incidentTable.get(objectId) : undefined;
    if (!parent) throw badRequest(MESSAGES.recordNotFound(objectId, typeName || objectType));
    if (upload.files.length === 0) throw badRequest(MESSAGES.noFiles);
    const results = ctx.store.uploadFiles(parent, 'incident#', upload.files, { user: grant.user });
    const applied = results.some((r) => r.IsUploaded);
    if (results.every((r) => r.IsUploaded)) return json(200, results, true);
    return json(300, { code: 'ISM_3000', description: 'Validation Error', message: results }, applied);
  }

  function dispatch(req: IncomingMessage, exchange: Exchange, bodyText: () => string): Answer {
    const { route, options, entry } = exchange;
    if (route === null) return errorAnswer(notFound());
    const method = req.method ?? 'GET';
    const header = req.headers.authorization;
    const grant = header !== undefined && header.startsWith(AUTH_PREFIX) ? ctx.keys.get(header.slice(AUTH_PREFIX.length)) : undefined;
    if (!grant) return json(401, UNAUTHORIZED_BODY);
    try {
      if (route.resource === 'attachment') return operateAttachment(method, exchange.upload, grant);
      const set = canonicalSet(route.setName);
      if (!route.wellFormed || set === undefined) return errorAnswer(notFound());
      return operate(method, route, set, options, bodyText(), grant, entry);
    } catch (err) {
      if (err instanceof IsmError) return errorAnswer(err);
      throw err;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Faults that replace the answer

  function statusFaultAnswer(fault: Extract<FaultSpec, { kind: 'status' }>, req: IncomingMessage, prefix: Prefix | null): Answer {
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    const body = fault.body ?? 'json';
    if (body === 'html') {
      const sessionId = randomBytes(12).toString('hex').toUpperCase();
      const host = `ism-app-07.${ctx.tenantName}`;
      const detail =
        `Object reference not set to an instance of an object. SessionId="${sessionId}" ` +
        `Host="${host}" Tenant="${ctx.tenantName}" Path="${req.url ?? ''}"`;
      const page =
        '<!DOCTYPE html>\n<html><head><title>Runtime Error</title></head><body>\n' +
        `<h1>${escapeHtml(`Server Error in '${prefix || '/'}' Application.`)}</h1>\n` +
        `<h2><i>${escapeHtml(detail)}</i></h2>\n` +
        `<pre>${escapeHtml('[NullReferenceException: Object reference not set to an instance of an object.]\n   at Frs.DataLayer.BusinessObject<Incident#>.Save(SaveContext ctx)\n   at Frs.Web.Services.OData.BusinessObjectController.Dispatch()')}</pre>\n` +
        `<!-- SessionId: ${sessionId} | Server: ${host} -->\n</body></html>\n`;
      return { status: fault.status, body: page, contentType: 'text/html; charset=utf-8', headers, applied: false };
    }
    if (body === 'echo-headers') {
      const echoed: Record<string, string> = {};
      const raw = req.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) echoed[raw[i] as string] = raw[i + 1] as string;
      return {
        status: fault.status,
        body: JSON.stringify({ Message: 'An error has occurred.', ExceptionMessage: 'Request could not be processed.', RequestHeaders: echoed }),
        headers,
        applied: false,
      };
    }
    const texts: Record<number, unknown> = {
      429: { Message: 'Too many requests. Please retry later.' },
      500: { code: 'ISM_5000', description: 'Internal Server Error', message: ['An unexpected error occurred while processing the request.'], help: '' },
      502: { Message: 'Bad Gateway: the upstream server returned an invalid response.' },
      503: { Message: 'The service is unavailable. Please try again later.' },
      504: { Message: 'Gateway Timeout: the upstream server did not answer in time.' },
    };
    return { status: fault.status, body: JSON.stringify(texts[fault.status]), headers, applied: false };
  }

  function truncate(body: string | undefined): string {
    const text = body && body.length > 1 ? body : '{"value":[{"RecId":"';
    let cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    try {
      JSON.parse(cut);
      cut += '{';
    } catch {
      // already invalid, as intended
    }
    return cut;
  }


  // ---------------------------------------------------------------------------------------------
  // Sending

  function finish(exchange: Exchange, status: number | null, applied: boolean, req: IncomingMessage): void {
    const durationMs = Math.round((performance.now() - exchange.started) * 1000) / 1000;
    const entry = exchange.entry;
    if (entry) {
      entry.status = status;
      entry.applied = applied;
      entry.durationMs = durationMs;
    }
    ctx.logger?.info({ method: req.method, url: req.url, status, durationMs, applied }, 'request');
  }

  function send(reply: FastifyReply, answer: Answer): void {
    ctx.counters.requests++;
    reply.code(answer.status);
    if (answer.headers) reply.headers(answer.headers);
    if (answer.body !== undefined && answer.status !== 204) {
      reply.header('content-type', answer.contentType ?? JSON_TYPE);
      reply.send(answer.body);
    } else {
      reply.send();
    }
  }

  /** Destroys the connection without an answer (the reply is taken away from Fastify first). */
  function drop(request: FastifyRequest, reply: FastifyReply): void {
    reply.hijack();
    request.raw.socket.destroy();
  }

  // ---------------------------------------------------------------------------------------------
  // The two steps

  function arrive(request: FastifyRequest, reply: FastifyReply): void {
    const started = performance.now();
    const req = request.raw;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    // On a matched route Fastify's router has parsed the query with parseQueryOptions, from the
    // same text unless the URL holds a raw '#' (where the router would cut it instead).
    const parsed = request.query as Record<string, string> | null;
    const options = parsed && !request.is404 && !url.includes('#') ? parsed : parseQueryOptions(q < 0 ? '' : url.slice(q + 1));
    const route = parseApiPath(rawPath, ctx.prefixes);
    // The journal and the faults know the attachment endpoint as the set `attachment`.
    const set = route ? (route.resource ?? canonicalSet(route.setName) ?? null) : null;
    const method = req.method ?? 'GET';

    let entry: JournalEntry | undefined;
    if (ctx.journal.enabled) {
      const headers: JournalEntry['headers'] = { ...req.headers };
      delete headers.authorization;
      entry = {
        seq: ctx.journal.nextSeq(),
        time: new Date().toISOString(),
        method,
        path: rawPath,
        prefix: route ? route.prefix : null,
        set,
        key: route?.key ?? null,
        navigation: route?.navigation ?? null,
        navigationKey: route?.navigationKey ?? null,
        query: options,
        filter: null,
        headers,
        body: null,
        status: null,
        applied: false,
        fault: null,
        durationMs: null,
      };
      if (req.headers.authorization !== undefined) {
        const h = req.headers.authorization;
        headers.authorization = h.startsWith(AUTH_PREFIX) && ctx.keys.has(h.slice(AUTH_PREFIX.length)) ? 'present/valid' : 'present/invalid';
      }
      ctx.journal.record(entry);
    }

    const fault = ctx.faults.next(method, set ?? undefined);
    if (entry && fault) entry.fault = fault;
    const exchange: Exchange = { started, route, options, fault, entry };
    (request as TenantRequest)[EXCHANGE] = exchange;

    if (fault?.kind === 'hang') {
      // Never answer: read and drop the body, keep the socket open until the client gives up
      // or close() destroys it.
      reply.hijack();
      req.resume();
      return;
    }
    if (fault?.kind === 'reset-before') {
      drop(request, reply);
      finish(exchange, null, false, req);
    }
  }

  function answer(request: FastifyRequest, reply: FastifyReply): void {
    const exchange = (request as TenantRequest)[EXCHANGE];
    if (!exchange) {
      serve(request, reply);
      return;
    }
    readBody(request, reply, exchange, (body) => {
      if (body.length > bodyLimit(exchange)) {
        tooLargeAnswer(request, reply, exchange);
        return;
      }
      let text: string | undefined;
      const bodyText = (): string => (text ??= body.toString('utf8'));
      if (exchange.route?.resource === 'attachment') {
        if (body.length > 0) exchange.upload = readUpload(request.raw.headers['content-type'], body);
        if (exchange.entry && exchange.upload) exchange.entry.body = journalUpload(exchange.upload, body.length);
      } else if (exchange.entry && body.length > 0) {
        try {
          exchange.entry.body = JSON.parse(bodyText()) as unknown;
        } catch {
          exchange.entry.body = bodyText();
        }
      }
      const fault = exchange.fault;
      if (fault?.kind === 'latency') {
        const timer = setTimeout(() => {
          ctx.timers.delete(timer);
          respond(request, reply, exchange, bodyText);
        }, fault.ms);
        ctx.timers.add(timer);
        return;
      }
      respond(request, reply, exchange, bodyText);
    });
  }

  function bodyLimit(exchange: Exchange): number {
    return exchange.route?.resource === 'attachment' ? ctx.attachmentBodyLimit : MAX_BODY;
  }

  function serve(request: FastifyRequest, reply: FastifyReply): void {
    arrive(request, reply);
    if (!reply.sent) answer(request, reply);
  }

  /**
   * The raw body: what the content-type parser read, or, for a request Fastify does not parse
   * (GET or HEAD with a body, DELETE or OPTIONS without Content-Type, an unknown method, or a
   * Content-Type Fastify refused), read here as the tenant reads any body.
   */
  function readBody(request: FastifyRequest, reply: FastifyReply, exchange: Exchange, done: (body: Buffer) => void): void {
    if (Buffer.isBuffer(request.body)) {
      done(request.body);
      return;
    }
    if (typeof request.body === 'string') {
      done(Buffer.from(request.body, 'utf8'));
      return;
    }
    const req = request.raw;
    if ((req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) || req.readableFlowing !== null || req.readableEnded) {
      done(Buffer.alloc(0));
      return;
    }
    const limit = bodyLimit(exchange);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) done(Buffer.concat(chunks));
      else tooLargeAnswer(request, reply, exchange);
    });
    req.on('error', () => {
      // The client went away; nothing to answer.
    });
  }

  /**
   * 413, once the rest of the body has been read and dropped: answered while the client is still
   * sending, the connection would be closed under it, and the client would see a broken pipe
   * instead of the answer. A body declared larger than DRAIN_LIMIT is answered at once (and its
   * connection closed); one that grows beyond it without saying so has its connection dropped.
   */
  function tooLargeAnswer(request: FastifyRequest, reply: FastifyReply, exchange: Exchange): void {
    const req = request.raw;
    const answer413 = (): void => {
      send(reply, json(413, { code: 'ISM_4000', description: 'Invalid Request Payload', message: ['Request body is too large'], help: '' }));
      finish(exchange, 413, false, req);
    };
    const declared = Number(req.headers['content-length']);
    if (req.complete || req.readableEnded || req.destroyed || declared > DRAIN_LIMIT) {
      answer413();
      return;
    }
    let drained = 0;
    req.removeAllListeners('data');
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_LIMIT) req.socket.destroy();
    });
    req.once('end', answer413);
    req.once('close', () => {
      if (!req.complete) finish(exchange, null, false, req);
    });
    req.on('error', () => {
      // The client went away; nothing to answer.
    });
    req.resume();
  }

  function respond(request: FastifyRequest, reply: FastifyReply, exchange: Exchange, bodyText: () => string): void {
    const req = request.raw;
    const { route, fault } = exchange;
    if (reply.raw.destroyed || req.socket.destroyed) {
      finish(exchange, null, false, req);
      return;
    }
    if (fault?.kind === 'status') {
      const answer = statusFaultAnswer(fault, req, route?.prefix ?? null);
      send(reply, answer);
      finish(exchange, answer.status, false, req);
      return;
    }
    let answer: Answer;
    try {
      answer = dispatch(req, exchange, bodyText);
    } catch (err) {
      answer = json(500, { code: 'ISM_5000', description: 'Internal Server Error', message: [(err as Error).message], help: '' });
    }
    if (fault?.kind === 'reset-after') {
      drop(request, reply);
      finish(exchange, null, answer.applied, req);
      return;
    }
    if (fault?.kind === 'invalid-json') answer = { ...answer, status: 200, body: truncate(answer.body), contentType: JSON_TYPE };
    else if (fault?.kind === 'empty-body') answer = { status: 200, body: '', applied: answer.applied };
    send(reply, answer);
    finish(exchange, answer.status, answer.applied, req);
  }

  function fail(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    const exchange = (request as TenantRequest)[EXCHANGE];
    const req = request.raw;
    if (exchange && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      tooLargeAnswer(request, reply, exchange);
      return;
    }
    if (req.socket.destroyed || reply.raw.destroyed) {
      // The client went away while sending the body; nothing to answer.
      if (exchange) finish(exchange, null, false, req);
      return;
    }
    if (exchange && typeof error.code === 'string' && error.code.startsWith('FST_ERR_') && !reply.raw.headersSent) {
      // Fastify refused the request before the handler (a Content-Type it cannot parse, a QUERY
      // without one): ISM has no such checks, so the request is answered like any other.
      answer(request, reply);
      return;
    }
    const answered = json(500, { code: 'ISM_5000', description: 'Internal Server Error', message: [error.message], help: '' });
    if (reply.raw.headersSent) return;
    send(reply, answered);
    if (exchange) finish(exchange, 500, false, req);
  }

  return { arrive, answer, fail, serve };
}
