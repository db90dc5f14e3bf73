/**
 * The HTTP server: every route of the contract, on both prefixes where it says so.
 * Step routes hand the body to the one pipeline (Runtime.execute); the rest describe
 * the plugin from its spec.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { PluginSpec } from '../spec/model.js';
import type { JsonSchema, PluginSchemas } from '../spec/schema.js';
import { requireToken } from './api-token.js';
import { stepStopped } from './errors.js';
import { didYouMean } from './suggest.js';
import type { ExecuteOptions, Runtime } from './execute.js';
import type { PluginInfo } from './plugin.js';

export interface ServerOptions {
  /** Largest accepted body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Time allowed to receive a whole request, headers and body (default 30 s). */
  requestTimeoutMs?: number;
  /** Time allowed to receive the headers (default 15 s, at most requestTimeoutMs). */
  headersTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open (default 72 s). */
  keepAliveTimeoutMs?: number;
  /** Most simultaneous connections; more are refused (default 2048). */
  maxConnections?: number;
  /** When set, every route but GET /api/v1/status wants `Authorization: Bearer <apiToken>`. */
  apiToken?: string;
  /** Aborted when the shutdown's grace period ends: every step still running is stopped and answered. */
  shutdown?: AbortSignal;
  logger: Logger;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

interface NameParams {
  name: string;
}

export async function buildServer(runtime: Runtime, options: ServerOptions): Promise<FastifyInstance> {
  const plugin = runtime.plugin;
  // What describes the plugin (the spec, its schemas, the OpenAPI document) is read on first
  // use: a server that only runs steps never parses the spec or keeps these in memory.
  let described: Promise<Description> | undefined;
  const describe = () => (described ??= describePlugin(plugin.specFile, plugin.manifest.info));
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const headersTimeout = Math.min(options.headersTimeoutMs ?? 15_000, requestTimeout);
  const keepAliveTimeout = options.keepAliveTimeoutMs ?? 72_000;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;

  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // The pipeline logs each step itself; per-request lines would only repeat it.
    logController: new LogController({ disableRequestLogging: true }),
    // Fastify would make a pino child logger for every request (about 15 µs each); nothing
    // logs per request, so the server's logger serves as it is.
    childLoggerFactory: (logger) => logger,
    bodyLimit,
    // A body with a `__proto__` or `constructor.prototype` key is valid JSON: Fastify would
    // refuse it as "not valid JSON". JSON.parse keeps such keys as plain own properties, and
    // the pipeline refuses them with a message that names the key and where it is (the same
    // answer as on stdin).
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // Idle keep-alive connections are closed at shutdown; busy ones finish their request.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void): Server => {
      const server = createServer(
        {
          requestTimeout,
          headersTimeout,
          keepAliveTimeout,
          // How often Node checks the two timeouts above; small enough to enforce them closely.
          connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(headersTimeout / 4))),
        },
        handler,
      );
      server.maxConnections = options.maxConnections ?? 2048;
      // Node's headers and request timeouts start with the first byte of a request: a
      // connection that never sends one stays open for good, and enough of them use up
      // maxConnections so that no one else is served. Such a connection gets as long as the
      // headers of a request get, then it is closed. (One that has sent part of a request is
      // left to Node, which answers it 408.)
      const awaitingFirstRequest = new WeakMap<Socket, NodeJS.Timeout>();
      server.on('connection', (socket: Socket) => {
        const timer = setTimeout(() => {
          if (socket.bytesRead === 0) socket.destroy();
        }, headersTimeout);
        timer.unref();
        awaitingFirstRequest.set(socket, timer);
        socket.once('close', () => clearTimeout(timer));
      });
      server.on('request', (request: IncomingMessage) => {
        const timer = awaitingFirstRequest.get(request.socket);
        if (timer === undefined) return;
        clearTimeout(timer);
        awaitingFirstRequest.delete(request.socket);
      });
      return server;
    },
  });

  // At shutdown Fastify closes idle keep-alive connections once; a connection busy with a
  // step would stay open after its answer (until the keep-alive timeout) and hold the
  // shutdown up. Answers sent while closing therefore close their connection.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  if (options.apiToken !== undefined) app.addHook('onRequest', requireToken(options.apiToken));

  // Fastify would hand a text/plain body to the route as a string; the contract takes JSON
  // only, so any other content type is a 415 and not a confusing envelope error.
  app.removeContentTypeParser('text/plain');

  // Fastify's own wording for these says what went wrong but not what to do.
  const clearerMessage: Record<string, string> = {
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type; send the message as JSON with Content-Type: application/json.',
    FST_ERR_CTP_BODY_TOO_LARGE: `The body is larger than the limit of ${bodyLimit} bytes.`,
    FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON; send one start message as a JSON object.',
  };
  app.setErrorHandler(async (err: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error({ err }, 'request failed');
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') await drainRefusedBody(request.raw);
    return reply.code(status).send({
      statusCode: status,
      code: err.code ?? (status === 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'),
      error: status === 500 ? 'Internal Server Error' : (httpReason[status] ?? 'Bad Request'),
      message: status === 500 ? 'The plugin failed to handle the request.' : (clearerMessage[err.code ?? ''] ?? err.message),
    });
  });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.length > 200 ? request.url.slice(0, 200) + '...' : request.url;
    void reply.code(404).send({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: `No route ${request.method} ${url}; see GET /api/v1/api for the routes.` });
  });

  const shutdown = options.shutdown;
  const step = (options: (name: string) => ExecuteOptions) => async (request: FastifyRequest<{ Params: NameParams }>, reply: FastifyReply) => {
    const result = await untilCallerLeaves(reply, shutdown, (signal) => runtime.execute(request.body, { ...options((request.params as Partial<NameParams>).name ?? ''), signal }));
    return reply.code(result.status).send(result.envelope);
  };
  for (const prefix of ['', '/api/v1']) {
    app.post(`${prefix}/actions/:name`, step((name) => ({ mode: 'run', route: { kind: 'action', name } })));
    app.post(`${prefix}/actions/:name/test`, step((name) => ({ mode: 'test', route: { kind: 'action', name } })));
    app.post(`${prefix}/triggers/:name/test`, step((name) => ({ mode: 'test', route: { kind: 'trigger', name } })));
  }
  app.post('/api/v1/connection/test', step(() => ({ mode: 'test', route: { kind: 'connection' } })));

  const info = plugin.manifest.info;
  app.get('/api/v1/info', async () => ({
    name: info.name,
    title: info.title,
    description: info.description,
    version: info.version,
    vendor: info.vendor,
    support: info.support,
    plugin_spec_version: info.plugin_spec_version,
    tags: info.tags,
    sdk_version: info.sdk_version,
  }));
  app.get('/api/v1/spec', async (request: FastifyRequest<{ Querystring: { format?: string } }>, reply) => {
    const format = request.query.format ?? 'yaml';
    if (format === 'yaml') return reply.type('application/x-yaml; charset=utf-8').send((await describe()).specText);
    if (format === 'json') return reply.type('application/json; charset=utf-8').send((await describe()).specJson);
    return reply.code(422).send({ statusCode: 422, code: 'UNKNOWN_FORMAT', error: 'Unprocessable Entity', message: `Unknown format '${String(format).slice(0, 40)}'; use format=yaml or format=json.` });
  });
  app.get('/api/v1/api', async () => (await describe()).openApi);
  app.get('/api/v1/actions', async () => plugin.manifest.actions.map((a) => a.name));
  app.get('/api/v1/triggers', async () => plugin.manifest.triggers.map((t) => t.name));
  app.get('/api/v1/tasks', async () => []);
  app.get('/api/v1/actions/:name', async (request: FastifyRequest<{ Params: NameParams }>, reply) => {
    const { spec, schemas } = await describe();
    const action = spec.actions.find((a) => a.name === request.params.name);
    const pair = action ? schemas.actions[action.name] : undefined;
    if (!action || !pair) {
      return reply.code(400).send({
        statusCode: 400,
        code: 'UNKNOWN_ACTION',
        error: 'Bad Request',
        message: `Unknown action '${request.params.name.slice(0, 80)}'${didYouMean(request.params.name, spec.actions.map((a) => a.name))} This plugin has: ${spec.actions.map((a) => a.name).join(', ')}.`,
      });
    }
    return { title: action.title, description: action.description, input: pair.input, output: pair.output };
  });
  app.get('/api/v1/connection', async () => {
    const connection = (await describe()).schemas.connection;
    return { type: connection.type, title: connection.title, properties: connection.properties, required: connection.required ?? [] };
  });
  app.get('/api/v1/status', async () => ({ status: 'Ready' }));
  return app;
}

/**
 * Runs a step with a signal that aborts when the caller hangs up before the answer (an
 * orchestrator whose own timeout fired, and which may retry): the step then sends nothing more.
 * It also aborts when the server's shutdown grace period ends; the caller is still there then,
 * and gets the step's error envelope. Both listeners are the request's own and are removed
 * when the step ends.
 */
async function untilCallerLeaves<T>(reply: FastifyReply, shutdown: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stopped = new AbortController();
  const response = reply.raw;
  const onClose = () => {
    if (!response.writableFinished) stopped.abort(stepStopped('The caller closed the connection'));
  };
  const onShutdown = () => stopped.abort(stepStopped('The plugin is shutting down (its grace period ended)'));
  response.once('close', onClose);
  if (shutdown?.aborted) onShutdown();
  else shutdown?.addEventListener('abort', onShutdown, { once: true });
  try {
    return await run(stopped.signal);
  } finally {
    response.off('close', onClose);
    shutdown?.removeEventListener('abort', onShutdown);
  }
}

interface Description {
  specText: string;
  specJson: string;
  spec: PluginSpec;
  schemas: PluginSchemas;
  openApi: JsonSchema;
}

async function describePlugin(specFile: string, info: PluginInfo): Promise<Description> {
  const [{ checkSpecDocument, parseSpecDocument }, { buildPluginSchemas }, { buildOpenApi }] = await Promise.all([
    import('../spec/load.js'),
    import('../spec/schema.js'),
    import('./openapi.js'),
  ]);
  const specText = readFileSync(specFile, 'utf8');
  const specDocument = parseSpecDocument(specText, specFile);
  const spec = checkSpecDocument(specDocument, specFile);
  const schemas = buildPluginSchemas(spec);
  const titles = Object.fromEntries(spec.actions.map((a) => [a.name, a.title]));
  return { specText, specJson: JSON.stringify(specDocument), spec, schemas, openApi: buildOpenApi(info, schemas, titles) };
}

/** Longest wait for the rest of a refused body before the 413 goes out anyway. */
const DRAIN_REFUSED_BODY_MS = 5_000;
/** Largest declared body whose rest is read before the 413; a larger one is refused at once. */
const DRAIN_REFUSED_BODY_BYTES = 16 * 1024 * 1024;

/**
 * A client may still be sending a body the server has refused as too large. Answering at once
 * closes the connection under it: its next write meets a reset, and the 413 is lost. When the
 * body it declared is of a sensible size, the rest is read and dropped first (bounded in time),
 * then the answer goes out; a body declared huge is refused at once.
 */
function drainRefusedBody(raw: IncomingMessage): Promise<void> {
  const declared = Number(raw.headers['content-length']);
  if (raw.complete || raw.destroyed || !(declared <= DRAIN_REFUSED_BODY_BYTES)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, DRAIN_REFUSED_BODY_MS);
    function done(): void {
      clearTimeout(timer);
      raw.off('end', done);
      raw.off('close', done);
      resolve();
    }
    raw.once('end', done);
    raw.once('close', done);
    raw.resume();
  });
}

const httpReason: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
};

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startServer(runtime: Runtime, options: ServerOptions & { host?: string; port?: number }): Promise<RunningServer> {
  const app = await buildServer(runtime, options);
  await app.listen({ host: options.host ?? '0.0.0.0', port: options.port ?? 10001 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === '0.0.0.0' || options.host === undefined ? '127.0.0.1' : options.host;
  return {
    app,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: async () => {
      await app.close();
      await runtime.close();
    },
  };
}
