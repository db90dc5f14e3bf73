/**
 * The ISM REST client: one per connection, holding keep-alive agents and a got instance
 * configured once. Requests are retried by a policy that never repeats a write that may
 * have reached ISM: idempotent methods on 429/502/503/504, resets and timeouts; a POST only
 * when it provably never left (connection refused, DNS failure, connect timeout). A step's
 * client (forStep) stops with the step; answers are read up to response_size_limit (a file's
 * bytes up to the limit its caller gives); a 2xx answer whose body reports an error is an error.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingHttpHeaders } from 'node:http';
import got, { RequestError, type Got } from 'got';
import { PluginError, Presets, type PluginErrorOptions, type ErrorPreset } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import type { IsmSettings } from './connection.js';
import { errorFromResponse, errorFromTransport, parseIsmErrorBody, scrubExcerpt } from './ism-errors.js';
import { errorFromSuccessBody } from './success-errors.js';
import { nativeRequest } from './native-request.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type IsmRecord = Record<string, unknown>;

export interface RequestOptions {
  /** What `path` is relative to: the OData root (default) or the tenant's base URL. */
  root?: 'odata' | 'base';
  /** Statuses outside 2xx that carry an answer rather than an error (ISM's 300 for uploads). */
  accept?: readonly number[];
  /** The body is a FormData, sent as multipart/form-data. */
  multipart?: boolean;
  /** Answer the 2xx body as text rather than parsing it as JSON (a collection's `$metadata` is XML). */
  text?: boolean;
  /**
   * Replaces the client's own signal (see IsmClient.signal) for this request: once it aborts,
   * nothing more is sent, a read is abandoned at once (a stopping trigger does not wait for a
   * hanging ISM), and the promise rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /**
   * Answer a 2xx body as its bytes (a Buffer), read up to `limitBytes` (instead of
   * response_size_limit): past it, reading stops and the request fails with `tooLarge`'s error.
   */
  bytes?: { limitBytes: number; tooLarge(): PluginErrorOptions };
}

export interface IsmResponse {
  status: number;
  /** Parsed JSON (a Buffer with `bytes`, text with `text`); undefined when ISM sent no body. */
  body: unknown;
  /** The answer's headers. */
  headers: IncomingHttpHeaders;
}

/** ISM's answer was larger than the connection's response_size_limit; it was not read to the end. */
class AnswerTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the answer is larger than ${limitBytes} bytes`);
  }
}

/** An ISM request that failed, with what the actions need to decide what it means. */
export class IsmRequestError extends PluginError {
  /** HTTP status, when ISM answered. */
  readonly status?: number;
  /** ISM's `message` list, when it sent one. */
  readonly messages: readonly string[];
  /** An earlier attempt of this request may have been applied (a retried write). */
  readonly earlierAttemptMayHaveApplied: boolean;

  constructor(preset: ErrorPreset, options: PluginErrorOptions, extra: { status?: number; messages?: readonly string[]; earlierAttemptMayHaveApplied: boolean }) {
    super(preset, options);
    this.name = 'IsmRequestError';
    this.status = extra.status;
    this.messages = extra.messages ?? [];
    this.earlierAttemptMayHaveApplied = extra.earlierAttemptMayHaveApplied;
  }
}

/**
 * A failed write after which ISM may still have applied it (no answer, a gateway's 502 or 504, or
 * an earlier attempt that may have been applied): the same error, its assistance saying what to
 * check before running the step again. Undefined when the failure shows nothing was applied.
 */
export function mayHaveApplied(err: IsmRequestError, assistance: string): PluginError | undefined {
  if (err.status !== undefined && err.status !== 502 && err.status !== 504 && !err.earlierAttemptMayHaveApplied) return undefined;
  return new PluginError(err.preset, { cause: err.reason, assistance, data: err.data });
}

const IDEMPOTENT: ReadonlySet<Method> = new Set(['GET', 'PUT', 'PATCH', 'DELETE']);
const RETRY_STATUS = new Set([429, 502, 503, 504]);
const RETRY_TRANSPORT = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED']);
/** Failures that prove the request never reached the server. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
const CONNECT_PHASES = new Set(['lookup', 'connect', 'secureConnect']);

/** Idle keep-alive sockets are closed before typical server keep-alive timeouts (5 s and up). */
const IDLE_SOCKET_MS = 4_000;

function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A failure of the exchange itself: got's RequestError, or a socket error with a system code
 * (EPROTO, ECONNRESET) that got passes on as it is. On Node 24, writing to a TLS socket whose
 * peer speaks plain HTTP fails in the write callback, and got hands that error on unwrapped.
 */
function isTransportError(err: unknown): err is Error & { code: string } {
  return err instanceof RequestError || (err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && 'syscall' in err);
}

function answerTooLarge(method: Method, path: string, limitBytes: number): PluginErrorOptions {
  return {
    cause: `ISM's answer to ${method} ${path} is larger than the limit of ${Math.round(limitBytes / 1024 / 1024)} MiB; the plugin stopped reading it.`,
    assistance:
      method === 'GET'
        ? "Ask for less (fewer results), or raise response_size_limit in the connection if the tenant's answers really are this large."
        : "ISM answered, so the change was probably made: check in ISM before running the step again. Raise response_size_limit in the connection if the tenant's answers really are this large.",
  };
}

/**
 * A request path as messages show it: the query decoded (`IncidentNumber eq 54321`, not
 * `IncidentNumber%20eq%2054321`), cut short. It never holds the key, which travels in a header.
 */
export function readablePath(path: string): string {
  let text: string;
  try {
    text = decodeURIComponent(path);
  } catch {
    text = path;
  }
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export interface ClientStats {
  requests: number;
  retries: number;
}

/** What the clients of one connection share, made once: keep-alive agents and a got instance. */
class Transport {
  readonly got: Got;
  readonly agents: { http: HttpAgent; https: HttpsAgent };
  readonly host: string;

  constructor(settings: IsmSettings) {
    this.host = new URL(settings.odataUrl).host;
    const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 64, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
    this.agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent({ ...agentOptions, rejectUnauthorized: settings.sslVerify }) };
    this.got = got.extend({
      prefixUrl: '',
      agent: this.agents,
      https: { rejectUnauthorized: settings.sslVerify },
      headers: {
        authorization: `rest_api_key=${settings.apiKey}`,
        accept: 'application/json',
        'user-agent': 'ivanti-service-manager-plugin',
      },
      timeout: {
        lookup: settings.connectTimeoutMs,
        connect: settings.connectTimeoutMs,
        secureConnect: settings.connectTimeoutMs,
        request: settings.requestTimeoutMs,
      },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      http2: false,
      request: nativeRequest,
    });
  }

  close(): void {
    // Idle sockets go now; a busy one finishes its request, then idles out (IDLE_SOCKET_MS).
    for (const agent of Object.values(this.agents)) {
      for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
    }
  }
}

/**
 * The one place a caller's signal is tied to a request: the request gets a signal of its own,
 * aborted with the caller's, and the listener on the caller's signal (a trigger's lives as long
 * as the process) is removed as soon as the request ends, however it ends.
 */
function tieSignal(signal: AbortSignal): { signal: AbortSignal; release(): void } {
  const own = new AbortController();
  const abort = () => own.abort(signal.reason);
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  return { signal: own.signal, release: () => signal.removeEventListener('abort', abort) };
}

export class IsmClient {
  readonly settings: IsmSettings;
  readonly stats: ClientStats;
  /**
   * The signal of the step this client acts for, if any: once it aborts, no request is sent,
   * a read on its way is abandoned, and a write on its way is awaited and its outcome logged.
   */
  readonly signal: AbortSignal | undefined;
  private readonly transport: Transport;

  constructor(settings: IsmSettings, signal?: AbortSignal, of?: IsmClient) {
    this.settings = settings;
    this.signal = signal;
    this.transport = of?.transport ?? new Transport(settings);
    this.stats = of?.stats ?? { requests: 0, retries: 0 };
  }

  /** This client for one step: the same connection (agents, options, counters), stopped with the step. */
  forStep(signal: AbortSignal): IsmClient {
    return new IsmClient(this.settings, signal, this);
  }

  /**
   * One HTTP exchange through got's stream interface, which skips the promise wrapper's
   * per-request machinery; got's options, agents, timeouts and errors apply unchanged.
   * Resolves with any status; rejects with got's RequestError when there is no answer, and with
   * AnswerTooLargeError past `limit` bytes.
   */
  private send(method: Method, url: string, body: unknown, multipart: boolean, signal: AbortSignal | undefined, limit: number): Promise<{ status: number; headers: IncomingHttpHeaders; data: Buffer }> {
    return new Promise((resolve, reject) => {
      // `multipart` is checked first: touching the global FormData loads Node's fetch stack
      // (and a TLS context), which a one-shot run that sends JSON never needs.
      const payload = multipart ? { body: body as FormData } : body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
      const tied = signal && tieSignal(signal);
      const stream = this.transport.got.stream(url, { method, ...payload, ...(tied ? { signal: tied.signal } : {}) });
      // got ends a GET itself, and a request whose body it was given; any other has to be ended here.
      if (body === undefined && method !== 'GET') stream.end();
      let status = 0;
      let headers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      // Past the limit nothing more is kept: the stream is destroyed, so a hostile or broken
      // tenant cannot make the plugin buffer an answer of any size.
      const tooLarge = () => {
        if (settled) return;
        settled = true;
        tied?.release();
        chunks.length = 0;
        stream.destroy();
        reject(new AnswerTooLargeError(limit));
      };
      stream.once('response', (response: { statusCode: number; headers: IncomingHttpHeaders }) => {
        status = response.statusCode;
        headers = response.headers;
        // A compressed body is counted as it is decompressed; a plain one can be refused at once.
        if (headers['content-encoding'] === undefined && Number(headers['content-length']) > limit) tooLarge();
      });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) tooLarge();
        else if (!settled) chunks.push(chunk);
      });
      stream.once('end', () => {
        if (settled) return;
        settled = true;
        tied?.release();
        resolve({ status, headers, data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
      });
      stream.once('error', (err) => {
        if (settled) return;
        settled = true;
        tied?.release();
        reject(err);
      });
    });
  }

  /** The key must never leave through a body ISM echoes back. */
  private scrub(text: string): string {
    return text.split(this.settings.apiKey).join('********');
  }

  /**
   * One logical request, with retries. Resolves for 2xx (and the statuses in `accept`);
   * rejects with an IsmRequestError. `path` is relative to the OData root
   * (`incidents?$filter=...`), or to the tenant's base URL with `root: 'base'`.
   * The body is sent as JSON, or as multipart form data (a FormData) with `multipart: true`.
   */
  async request(method: Method, path: string, log: StepLogger, body?: unknown, options: RequestOptions = {}): Promise<IsmResponse> {
    const url = (options.root === 'base' ? `${this.settings.baseUrl}/` : this.settings.odataUrl) + path;
    const shownPath = readablePath(path);
    const policy = this.settings.retry;
    const signal = options.signal ?? this.signal;
    const isRead = method === 'GET';
    let mayHaveApplied = false;
    for (let attempt = 0; ; attempt++) {
      // A stopped step sends nothing more: not a first attempt, not a retry.
      signal?.throwIfAborted();
      let retryable: boolean;
      let delayMs: number | undefined;
      let failure: { error: PluginError; status?: number; messages?: readonly string[] };
      let thisMayHaveApplied: boolean;
      this.stats.requests++;
      try {
        // A read is abandoned with the step; a write that has left is awaited, and how it ended is logged.
        const limit = options.bytes?.limitBytes ?? this.settings.responseLimitBytes;
        const sentAt = log.debugEnabled ? performance.now() : 0;
        const response = await this.send(method, url, body, options.multipart === true, isRead ? signal : undefined, limit).catch((err: unknown) => {
          if (log.debugEnabled) log.debug(`ISM ${method} ${shownPath}: no answer (${(err as { code?: string }).code ?? (err as Error).name}), attempt ${attempt + 1}, ${Math.round(performance.now() - sentAt)} ms.`);
          throw err;
        });
        if (log.debugEnabled) log.debug(`ISM ${method} ${shownPath}: ${response.status}, attempt ${attempt + 1}, ${Math.round(performance.now() - sentAt)} ms, ${response.data.length} bytes.`);
        if (!isRead && signal?.aborted) log.warn(`The step was stopped while ${method} ${shownPath} was on its way to ISM; ISM answered ${response.status}.`);
        const { status, headers } = response;
        const success = (status >= 200 && status < 300) || options.accept?.includes(status) === true;
        if (success && options.bytes) return { status, headers, body: response.data };
        const text = response.data.toString('utf8');
        if (success) {
          if (options.text) return { status, headers, body: text };
          if (text.trim() === '') return { status, headers, body: undefined };
          const parsed = parseJson(text);
          // A success status does not make a success: the body may report an error.
          const reported = parsed.ok && status < 300 ? errorFromSuccessBody({ status, body: parsed.value, method, path: shownPath }) : undefined;
          if (parsed.ok && !reported) return { status, headers, body: parsed.value };
          if (reported) {
            // ISM answered, and said no: nothing to retry.
            failure = { error: reported.error, status, messages: reported.messages };
            retryable = false;
            thisMayHaveApplied = false;
          } else {
            const error = new PluginError(Presets.INVALID_JSON, {
              cause: `ISM answered ${method} ${shownPath} (${status}) with a body that is not valid JSON.`,
              // ISM said yes to a write: it was most likely saved, whatever the body looks like.
              ...(method === 'GET'
                ? {}
                : { assistance: 'ISM accepted the request, so the change was probably saved: check in ISM before running the step again.' }),
              data: { status, excerpt: scrubExcerpt(this.scrub(text), 120) },
            });
            failure = { error, status };
            retryable = method === 'GET';
            thisMayHaveApplied = method !== 'GET';
          }
        } else {
          const scrubbed = this.scrub(text);
          const error = errorFromResponse({ status, body: scrubbed, contentType: String(response.headers['content-type'] ?? ''), method, path: shownPath });
          failure = { error, status, messages: parseIsmErrorBody(scrubbed)?.messages };
          retryable = IDEMPOTENT.has(method) && RETRY_STATUS.has(status);
          thisMayHaveApplied = status === 502 || status === 504;
          const retryAfter = parseRetryAfter(response.headers['retry-after']);
          if (retryAfter !== undefined) delayMs = Math.min(retryAfter, policy.retryAfterCapMs);
        }
      } catch (err) {
        if (signal?.aborted) {
          if (!isRead) log.warn(`The step was stopped while ${method} ${shownPath} was on its way to ISM; it got no answer (${this.scrub((err as Error).message)}).`);
          throw signal.reason;
        }
        if (err instanceof AnswerTooLargeError && options.bytes) {
          throw new IsmRequestError(Presets.BAD_REQUEST, options.bytes.tooLarge(), { earlierAttemptMayHaveApplied: mayHaveApplied || method !== 'GET' });
        }
        if (err instanceof AnswerTooLargeError) {
          // ISM answered: a write has been applied. Reading it again would only fill memory again.
          throw new IsmRequestError(Presets.SERVER_ERROR, answerTooLarge(method, shownPath, err.limitBytes), { earlierAttemptMayHaveApplied: mayHaveApplied || method !== 'GET' });
        }
        if (!isTransportError(err)) throw err;
        const code = err.code;
        const event = err instanceof RequestError ? (err as RequestError & { event?: string }).event : undefined;
        const neverSent = NEVER_SENT.has(code) || (code === 'ETIMEDOUT' && event !== undefined && CONNECT_PHASES.has(event));
        const error = errorFromTransport({
          code,
          event,
          message: this.scrub(err.message),
          host: this.transport.host,
          timeoutMs: code === 'ETIMEDOUT' && event && CONNECT_PHASES.has(event) ? this.settings.connectTimeoutMs : this.settings.requestTimeoutMs,
        });
        failure = { error };
        retryable = neverSent || (IDEMPOTENT.has(method) && RETRY_TRANSPORT.has(code));
        thisMayHaveApplied = !neverSent;
      }
      if (!retryable || attempt >= policy.retries) {
        const e = failure.error;
        throw new IsmRequestError(
          e.preset,
          { cause: e.reason, assistance: e.assistance, data: e.data },
          { status: failure.status, messages: failure.messages, earlierAttemptMayHaveApplied: mayHaveApplied },
        );
      }
      mayHaveApplied ||= thisMayHaveApplied && method !== 'GET';
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      const wait = delayMs ?? Math.round(backoff / 2 + Math.random() * (backoff / 2));
      log.info(`ISM ${method} ${shownPath} failed: ${failure.error.reason} Retrying in ${wait} ms (retry ${attempt + 1} of ${policy.retries}).`);
      this.stats.retries++;
      try {
        await sleep(wait, undefined, signal ? { signal } : undefined);
      } catch (err) {
        throw signal?.aborted ? signal.reason : err;
      }
    }
  }

  get(path: string, log: StepLogger): Promise<IsmResponse> {
    return this.request('GET', path, log);
  }

  /** The rows of a collection, whichever "no rows" encoding ISM chose (empty body, `[]`, or a string). */
  async list(path: string, log: StepLogger, options: { signal?: AbortSignal } = {}): Promise<IsmRecord[]> {
    return (await this.listPage(path, log, options)).rows;
  }

  /**
   * One page of a collection: its rows (as `list`), and the collection's total when ISM sent
   * `@odata.count` (an empty-body "no rows" carries none).
   */
  async listPage(path: string, log: StepLogger, options: { signal?: AbortSignal } = {}): Promise<{ rows: IsmRecord[]; count: number | undefined }> {
    const { body } = await this.request('GET', path, log, undefined, options.signal ? { signal: options.signal } : {});
    if (body === undefined || body === null) return { rows: [], count: undefined };
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new PluginError(Presets.INVALID_JSON, { cause: `ISM answered GET ${readablePath(path)} with something that is not an OData collection.` });
    }
    const total = (body as { '@odata.count'?: unknown })['@odata.count'];
    const count = typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 ? total : undefined;
    const value = (body as { value?: unknown }).value;
    if (value === undefined || typeof value === 'string') return { rows: [], count };
    if (!Array.isArray(value)) throw new PluginError(Presets.INVALID_JSON, { cause: `ISM answered GET ${readablePath(path)} with a 'value' that is not a list.` });
    return { rows: value.filter((row): row is IsmRecord => typeof row === 'object' && row !== null && !Array.isArray(row)), count };
  }

  close(): void {
    this.transport.close();
  }
}
