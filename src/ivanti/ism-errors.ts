/**
 * What ISM (or the network on the way) said, turned into a plugin error with a cause a
 * user can act on. ISM's own `message` list goes into `data`; HTML error pages are reduced
 * to a short excerpt with session ids and host names removed.
 */
import { PluginError, Presets } from '../runtime/errors.js';

/** The fields of ISM's error body that are worth keeping. */
export interface IsmErrorBody {
  code?: string;
  description?: string;
  messages: string[];
}

export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Reads every error body shape ISM is known to send. */
export function parseIsmErrorBody(text: string): IsmErrorBody | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  // {"code":"ISM_4000","description":"...","message":["..."]}
  if (typeof b.code === 'string' || b.message !== undefined || b.description !== undefined) {
    return {
      code: typeof b.code === 'string' ? b.code : undefined,
      description: typeof b.description === 'string' ? b.description : undefined,
      messages: stringsOf(b.message),
    };
  }
  // {"error":{"code":..,"message":{"value":..}}}
  if (typeof b.error === 'object' && b.error !== null) {
    const e = b.error as Record<string, unknown>;
    const m = e.message;
    const messages = typeof m === 'object' && m !== null && !Array.isArray(m) ? stringsOf((m as Record<string, unknown>).value) : stringsOf(m);
    return { code: typeof e.code === 'string' ? e.code : undefined, messages };
  }
  // {"Message":"..."}
  if (b.Message !== undefined) return { messages: stringsOf(b.Message) };
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** A short, scrubbed excerpt of a non-JSON body (an HTML error page, say). */
export function scrubExcerpt(text: string, max = 160): string {
  let out = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#?\w+);/g, (m, name: string) => ENTITIES[name.toLowerCase()] ?? (name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : m))
    .replace(/<[^>]*>/g, ' ');
  out = out
    .replace(/\b(?:rest_api_key|authorization|session(?:id|key)?|token|cookie)\s*[:=]\s*\S+/gi, '[redacted]')
    .replace(/\b[A-Za-z0-9+/_-]{20,}={0,2}/g, '[redacted]')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, '[host]')
    .replace(/\b(?:[a-z0-9-]+\.){2,}[a-z]{2,}\b/gi, '[host]')
    .replace(/\s+/g, ' ')
    .trim();
  return out.length > max ? out.slice(0, max - 3) + '...' : out;
}

// Object names can carry a '#': journal notes are `Journal#Notes`.
// The value may hold quotes, doubled or not (`'It''s'`, `'It's'`): it ends at the fixed text.
const VALIDATION = /UndefinedValidatedValue:\s*'(.*?)' is not in the validation list of validated field ([\w#]+)\.(\w+)/i;
const NOT_EMPTY = /Required field ([\w#]+)\.(\w+) value must be provided/i;
const ROLE = /Role (.+?) does not have rights to (\w+) object ([\w#]+)/i;
const RECORD_MISSING = /cannot be found in the business object|Invalid key/i;

/** ISM's display names for the fields whose API names differ. */
const FIELD_NAMES: Record<string, string> = { Symptom: 'Description', ProfileLink: 'Customer', Subject: 'Summary' };

export function isRoleMessage(messages: readonly string[]): boolean {
  return messages.some((m) => ROLE.test(m) || /does not have (?:the )?rights/i.test(m));
}

export function isRecordMissing(messages: readonly string[]): boolean {
  return messages.some((m) => RECORD_MISSING.test(m));
}

export function isPromptException(messages: readonly string[]): boolean {
  return messages.some((m) => m.includes('DataLayer.PromptException'));
}

/** The first value ISM refused as outside a validation list: the value, and the object and field of the list. */
export function validationRefusal(messages: readonly string[]): { value: string; object: string; field: string } | undefined {
  for (const message of messages) {
    const v = VALIDATION.exec(message);
    if (v) return { value: cut(v[1]!.replace(/''/g, "'"), 80), object: v[2]!, field: v[3]! };
  }
  return undefined;
}

/** A cause that names the field when ISM does; undefined when nothing specific is known. */
export function describeBadRequest(messages: readonly string[]): string | undefined {
  const refused = validationRefusal(messages);
  if (refused) return `'${refused.value}' is not a valid ${refused.field} in this tenant (ISM: value not in the validation list of ${refused.object}.${refused.field}).`;
  for (const message of messages) {
    const n = NOT_EMPTY.exec(message);
    if (n) return `ISM requires the field ${n[2]}${FIELD_NAMES[n[2]!] ? ` (${FIELD_NAMES[n[2]!]})` : ''}, which was not given.`;
  }
  return undefined;
}

/** Text ISM sent back, cut short: it may quote a 200 KB input whole. */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** At most 10 of ISM's messages, each cut short, for `data`. */
export function boundedMessages(messages: readonly string[]): string[] {
  return messages.slice(0, 10).map((m) => cut(m, 500));
}

/** ISM's messages joined into the end of a cause, without doubling its full stop. */
export function quoteMessages(messages: readonly string[], max = 300): string {
  return messages.join(' ').slice(0, max).replace(/[.\s]+$/, '');
}

export interface HttpFailure {
  status: number;
  body: string;
  contentType: string;
  method: string;
  /** The path below the OData root, for messages; never carries the key. */
  path: string;
}

/** Maps an HTTP answer ISM gave (not 2xx) to a plugin error. */
export function errorFromResponse(f: HttpFailure): PluginError {
  const parsed = parseIsmErrorBody(f.body);
  const messages = parsed?.messages ?? [];
  const data = parsed ? { status: f.status, code: parsed.code, message: boundedMessages(messages) } : { status: f.status, excerpt: scrubExcerpt(f.body) };
  const where = `${f.method} ${f.path}`;
  if (f.status === 401) {
    return new PluginError(Presets.INVALID_API_KEY, { cause: 'ISM rejected the API key (401 Authentication required).', data });
  }
  if (f.status === 403 || isRoleMessage(messages)) {
    const role = messages.find((m) => ROLE.test(m));
    return new PluginError(Presets.UNAUTHORIZED, { cause: role ? `ISM refused: ${role}` : `ISM refused ${where}: the API key's role is not permitted to do this.`, data });
  }
  if (f.status === 404) {
    return new PluginError(Presets.NOT_FOUND, {
      cause: `ISM answered 404 for ${where}: the connection URL does not lead to the ISM REST API.`,
      assistance: 'Check the connection URL. Many tenants serve the API under /HEAT (https://host/HEAT), some SaaS tenants without it; use the address you open ISM with in a browser.',
      data,
    });
  }
  if (f.status === 429) return new PluginError(Presets.RATE_LIMIT, { cause: 'ISM (or a gateway in front of it) is rate limiting requests (429).', data });
  if (f.status === 503 || f.status === 502) {
    return new PluginError(Presets.SERVICE_UNAVAILABLE, { cause: `ISM or a gateway in front of it is unavailable (${f.status}).`, data });
  }
  if (f.status === 504) return new PluginError(Presets.TIMEOUT, { cause: 'A gateway in front of ISM timed out waiting for it (504).', data });
  if (f.status >= 500) {
    const said = messages.length ? `: ${quoteMessages(messages, 200)}` : '';
    return new PluginError(Presets.SERVER_ERROR, { cause: `ISM failed to process ${where} (${f.status})${said}.`, data });
  }
  if (f.status >= 300 && f.status < 400) {
    return new PluginError(Presets.NOT_FOUND, {
      cause: `ISM redirected ${where} (${f.status}) instead of answering: the connection URL probably points at a login page, not the REST API.`,
      assistance: 'Check the connection URL (with /HEAT where the tenant uses it).',
      data: { status: f.status },
    });
  }
  const specific = describeBadRequest(messages);
  return new PluginError(Presets.BAD_REQUEST, {
    cause: specific ?? `ISM rejected ${where} (${f.status})${messages.length ? `: ${quoteMessages(messages)}` : ''}.`,
    data,
  });
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

export interface TransportFailure {
  code?: string;
  /** For timeouts: the phase that timed out (lookup, connect, secureConnect, request...). */
  event?: string;
  message: string;
  host: string;
  timeoutMs?: number;
}

/** Maps a request that got no HTTP answer (DNS, connect, TLS, reset, timeout) to a plugin error. */
export function errorFromTransport(f: TransportFailure): PluginError {
  const data = { code: f.code, phase: f.event };
  if (f.code && TLS_CODES.has(f.code)) {
    // The certificate names a host, never a port: compare with the host name alone.
    const hostname = f.host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    const why =
      f.code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? `is not issued for the host name ${hostname}`
        : f.code.includes('SELF_SIGNED')
          ? 'is self-signed'
          : `could not be verified (${f.code})`;
    return new PluginError(Presets.CONNECTION_ERROR, {
      cause: `The TLS certificate of ${f.host} ${why}.`,
      assistance: 'Install a trusted certificate on the tenant, or, if you trust this certificate, set ssl_verify to false in the connection.',
      data,
    });
  }
  if (f.code === 'ETIMEDOUT') {
    const connecting = f.event === 'lookup' || f.event === 'connect' || f.event === 'secureConnect';
    return new PluginError(Presets.TIMEOUT, {
      cause: connecting
        ? `Could not connect to ${f.host} within ${Math.round((f.timeoutMs ?? 0) / 1000)} s.`
        : `ISM at ${f.host} did not answer within ${Math.round((f.timeoutMs ?? 0) / 1000)} s.`,
      assistance: connecting
        ? 'Check that the orchestrator can reach the tenant (URL, firewall, proxy), or raise connect_timeout in the connection.'
        : 'Run the step again later, or raise request_timeout in the connection if the tenant is slow.',
      data,
    });
  }
  if (f.code === 'ENOTFOUND' || f.code === 'EAI_AGAIN') {
    return new PluginError(Presets.CONNECTION_ERROR, { cause: `The host name ${f.host} could not be resolved (DNS).`, assistance: 'Check the host name in the connection URL.', data });
  }
  if (f.code === 'ECONNREFUSED') {
    return new PluginError(Presets.CONNECTION_ERROR, {
      cause: `${f.host} refused the connection.`,
      assistance: 'Check the host and port in the connection URL, and that ISM is running and reachable from the orchestrator.',
      data,
    });
  }
  if (f.code === 'ECONNRESET' || f.code === 'EPIPE') {
    return new PluginError(Presets.CONNECTION_ERROR, {
      cause: `The connection to ${f.host} was closed before ISM answered.`,
      assistance: 'Run the step again; if it was a create or a note, check ISM first: it may have been saved.',
      data,
    });
  }
  if (f.code === 'EPROTO' || f.code?.startsWith('ERR_SSL')) {
    return new PluginError(Presets.CONNECTION_ERROR, {
      cause: `The TLS handshake with ${f.host} failed (${f.code}).`,
      assistance: 'Check that the URL uses https for a TLS tenant (http otherwise), and the certificate settings (ssl_verify).',
      data,
    });
  }
  return new PluginError(Presets.CONNECTION_ERROR, { cause: `The request to ${f.host} failed (${f.code ?? 'network error'}).`, data: { ...data, message: f.message } });
}
