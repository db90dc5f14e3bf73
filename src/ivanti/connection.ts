/**
 * The connection, normalised once at the edge into settings the rest of the plugin
 * trusts: the tenant's base URL in one canonical form, the key, TLS and timeouts.
 */
import type { Connection } from '../generated/types.js';
import { PluginError, Presets } from '../runtime/errors.js';
import { withinBounds, type BoundedField } from './bounds.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff delay; doubles each retry, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After the client will honour. */
  retryAfterCapMs: number;
}

export interface IsmSettings {
  /** Origin plus the optional tenant path (`/HEAT`), without a trailing slash. */
  baseUrl: string;
  /** `${baseUrl}/api/odata/businessobject/` */
  odataUrl: string;
  apiKey: string;
  sslVerify: boolean;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Largest attachment Add Attachment uploads. */
  attachmentLimitBytes: number;
  /** Largest answer read from ISM; a larger one is cut off. */
  responseLimitBytes: number;
  retry: RetryPolicy;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ retries: 3, baseDelayMs: 200, maxDelayMs: 5_000, retryAfterCapMs: 10_000 });

function invalidUrl(url: string, why: string): PluginError {
  return new PluginError(Presets.CONNECTION_ERROR, {
    cause: `The connection URL '${url}' is not usable: ${why}.`,
    assistance: "Set the URL to the tenant's address, such as https://ism.example.com or https://ism.example.com/HEAT.",
  });
}

/**
 * Accepts every way users write the tenant URL: `https://h`, `https://h/`, `https://h/HEAT`,
 * `https://h/HEAT/`, `https://h/HEAT/api`, `https://h/api/`, even a pasted
 * `.../api/odata/businessobject/incidents`. Only whole trailing path segments are removed,
 * so a host or path that merely contains "api" is left alone.
 */
export function normaliseBaseUrl(input: string): string {
  const trimmed = input.trim();
  if (trimmed === '') throw invalidUrl(input, 'it is empty');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalidUrl(input, 'it is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidUrl(input, `the scheme must be https or http, not ${url.protocol.replace(':', '')}`);
  if (url.username || url.password) throw invalidUrl(input, 'it must not contain a user name or password; the API key goes in the credentials');
  if (url.search || url.hash) throw invalidUrl(input, 'it must not contain a query string or fragment');
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const lower = segments.map((s) => s.toLowerCase());
  // Cut at the `api` segment followed only by the REST API's own path (odata, businessobject, a set).
  // Only the last `api` segment can start that tail: a gateway path such as `/api/ism/HEAT/api`
  // keeps its own `api` and loses the trailing one.
  const apiAt = lower.lastIndexOf('api');
  if (apiAt !== -1) {
    const rest = lower.slice(apiAt + 1);
    const isApiTail = rest.length === 0 || (rest[0] === 'odata' && (rest.length === 1 || rest[1] === 'businessobject' || rest[1]?.startsWith('$metadata')));
    if (isApiTail) segments.length = apiAt;
  }
  const path = segments.length ? '/' + segments.join('/') : '';
  return `${url.protocol}//${url.host}${path}`;
}

/** A numeric connection setting within its bounds, or its default when not given. */
const setting = (field: BoundedField, value: number | undefined, fallback: number) => (value === undefined ? fallback : withinBounds(field, value, 'connection'));

const MiB = 1024 * 1024;

export function resolveSettings(connection: Connection, retry: RetryPolicy = DEFAULT_RETRY): IsmSettings {
  const apiKey = connection.credentials.secretKey.trim();
  if (apiKey === '') {
    throw new PluginError(Presets.INVALID_API_KEY, { cause: 'The API key in the connection is empty.', assistance: "Paste the API key's Reference ID into the connection's credentials." });
  }
  // The key travels in a header: control characters would break (or forge) the request, and
  // anything else outside printable ASCII (a space, an accented letter, U+2028) is either
  // refused by Node as a header value or sent mangled. An ISM key is printable ASCII.
  if (/[^\u0021-\u007e]/.test(apiKey)) {
    const control = /[\u0000-\u001f\u007f]/.test(apiKey);
    throw new PluginError(Presets.INVALID_API_KEY, {
      cause: control
        ? 'The API key contains control characters (such as a line break) and cannot be sent.'
        : 'The API key contains characters an API key cannot have (a space or a character outside printable ASCII) and cannot be sent.',
      assistance: "Paste the API key's Reference ID again, without extra characters.",
    });
  }
  const baseUrl = normaliseBaseUrl(connection.url);
  return {
    baseUrl,
    odataUrl: `${baseUrl}/api/odata/businessobject/`,
    apiKey,
    sslVerify: connection.ssl_verify,
    connectTimeoutMs: setting('connect_timeout', connection.connect_timeout, 10) * 1000,
    requestTimeoutMs: setting('request_timeout', connection.request_timeout, 60) * 1000,
    attachmentLimitBytes: setting('attachment_size_limit', connection.attachment_size_limit, 20) * MiB,
    responseLimitBytes: setting('response_size_limit', connection.response_size_limit, 32) * MiB,
    retry,
  };
}
