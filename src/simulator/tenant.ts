/**
 * The tenant's request cycle, as the handlers of a Fastify app (server.ts): authentication,
 * the request journal, faults, and sending the answer the router (router.ts) or the attachment
 * endpoint (attachment-endpoint.ts) gives.
 *
 * Every request outside the admin routes takes the same two steps: `arrive` (an onRequest
 * hook: journal entry, fault draw, and the faults that take the connection over before the body
 * is read) and `answer` (the handler: body, operation, ISM's answer). The OData routes, the
 * attachment route and the not-found handler all run them, and the path is always read by
 * `parseApiPath`, never from Fastify's params: a path the router does not match (another casing
 * of /HEAT, /api/rest/..., an unknown method) is answered exactly as ISM answers it. Bodies arrive
 * as raw Buffers from a catch-all content-type parser (request-body.ts): the OData handlers read
 * them as UTF-8 text, so ISM's own messages for empty or malformed bodies stay, and the
 * attachment endpoint parses its multipart body itself, byte for byte. Fastify's own 400/415
 * answers never reach a client. Answers are sent as strings (no schema, no serializer);
 * `reply.hijack()` and the socket are used only by the faults that must not answer (hang,
 * reset-before, reset-after).
 */

import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Answers, JSON_TYPE, errorAnswer, json, type Answer } from './answers.js';
import { answerAttachment } from './attachment-endpoint.js';
import { answerServiceRequestApi } from './service-request-api.js';
import { journalUpload, readUpload, type Upload } from './attachment-upload.js';
import type { Behaviour } from './behaviour.js';
import { IsmError, UNAUTHORIZED_BODY, notFound, parseBody } from './errors.js';
import { errorBodyAnswer, oversizedBody, statusFaultAnswer, truncate } from './fault-answers.js';
import type { FaultController, FaultSpec } from './faults.js';
import type { JournalEntry, RingJournal } from './journal.js';
import { authorizationSeen, grantOf, type KeyGrant } from './keys.js';
import { MAX_BODY, drainBody, readBody } from './request-body.js';
import { createRouter } from './router.js';
import { parseApiPath, type ApiRoute, type Prefix } from './routes.js';
import type { Counters } from './stats.js';
import type { TenantStore } from './store.js';

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

const TOO_LARGE = { code: 'ISM_4000', description: 'Invalid Request Payload', message: ['Request body is too large'], help: '' };

export function createTenantApi(ctx: TenantContext): TenantApi {
  const route = createRouter({ store: ctx.store, behaviour: ctx.behaviour, answers: new Answers(ctx.behaviour, ctx.origin) });

  function dispatch(req: IncomingMessage, exchange: Exchange, bodyText: () => string): Answer {
    const { route: apiRoute, options, entry } = exchange;
    if (apiRoute === null) return errorAnswer(notFound());
    const method = req.method ?? 'GET';
    const grant = grantOf(req.headers.authorization, ctx.keys);
    if (!grant) return json(401, UNAUTHORIZED_BODY);
    try {
      if (apiRoute.resource === 'attachment') return answerAttachment(ctx.store, method, options, exchange.upload, grant);
      if (apiRoute.resource !== null) return answerServiceRequestApi(ctx.store, apiRoute.resource, method, apiRoute.key, () => parseBody(bodyText()), grant);
      return route({ method, route: apiRoute, options, bodyText: bodyText(), grant, entry });
    } catch (err) {
      if (err instanceof IsmError) return errorAnswer(err);
      throw err;
    }
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
    const apiRoute = parseApiPath(rawPath, ctx.prefixes);
    // The journal and the faults know the attachment endpoint as the set `attachment`.
    const set = apiRoute ? (apiRoute.resource ?? (apiRoute.setName === null ? undefined : ctx.store.object(apiRoute.setName)?.schema.set) ?? null) : null;
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
        prefix: apiRoute ? apiRoute.prefix : null,
        set,
        key: apiRoute?.key ?? null,
        navigation: apiRoute?.navigation ?? null,
        navigationKey: apiRoute?.navigationKey ?? null,
        query: options,
        filter: null,
        headers,
        body: null,
        status: null,
        applied: false,
        fault: null,
        durationMs: null,
      };
      if (req.headers.authorization !== undefined) headers.authorization = authorizationSeen(req.headers.authorization, ctx.keys);
      ctx.journal.record(entry);
    }

    const fault = ctx.faults.next(method, set ?? undefined);
    if (entry && fault) entry.fault = fault;
    const exchange: Exchange = { started, route: apiRoute, options, fault, entry };
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
    const tooLarge = (): void => tooLargeAnswer(request, reply, exchange);
    readBody(request, bodyLimit(exchange), (body) => {
      if (body.length > bodyLimit(exchange)) {
        tooLarge();
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
    }, tooLarge);
  }

  function bodyLimit(exchange: Exchange): number {
    return exchange.route?.resource === 'attachment' ? ctx.attachmentBodyLimit : MAX_BODY;
  }

  function serve(request: FastifyRequest, reply: FastifyReply): void {
    arrive(request, reply);
    if (!reply.sent) answer(request, reply);
  }

  /** 413, once the rest of the body has been read and dropped (request-body.ts). */
  function tooLargeAnswer(request: FastifyRequest, reply: FastifyReply, exchange: Exchange): void {
    const req = request.raw;
    drainBody(
      request,
      () => {
        send(reply, json(413, TOO_LARGE));
        finish(exchange, 413, false, req);
      },
      () => finish(exchange, null, false, req),
    );
  }

  function respond(request: FastifyRequest, reply: FastifyReply, exchange: Exchange, bodyText: () => string): void {
    const req = request.raw;
    const { route: apiRoute, fault } = exchange;
    if (reply.raw.destroyed || req.socket.destroyed) {
      finish(exchange, null, false, req);
      return;
    }
    if (fault?.kind === 'status' || fault?.kind === 'error-body') {
      const faulted = fault.kind === 'status' ? statusFaultAnswer(fault, req, apiRoute?.prefix ?? null, ctx.tenantName) : errorBodyAnswer(fault);
      send(reply, faulted);
      finish(exchange, faulted.status, false, req);
      return;
    }
    if (fault?.kind === 'oversized') {
      ctx.counters.requests++;
      reply.code(200).header('content-type', JSON_TYPE).header('content-length', String(fault.bytes)).send(oversizedBody(fault.bytes));
      finish(exchange, 200, false, req);
      return;
    }
    let answered: Answer;
    try {
      answered = dispatch(req, exchange, bodyText);
    } catch (err) {
      answered = json(500, { code: 'ISM_5000', description: 'Internal Server Error', message: [(err as Error).message], help: '' });
    }
    if (fault?.kind === 'reset-after') {
      drop(request, reply);
      finish(exchange, null, answered.applied, req);
      return;
    }
    if (fault?.kind === 'invalid-json') answered = { ...answered, status: 200, body: truncate(answered.body?.toString()), contentType: JSON_TYPE };
    else if (fault?.kind === 'empty-body') answered = { status: 200, body: '', applied: answered.applied };
    send(reply, answered);
    finish(exchange, answered.status, answered.applied, req);
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
