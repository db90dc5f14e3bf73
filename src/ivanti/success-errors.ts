/**
 * Success statuses that carry an error: tenants, and the proxies in front of them, answer some
 * failed writes 200 or 201 with an error body. Such an answer is read as the error it reports.
 */
import { PluginError, Presets } from '../runtime/errors.js';
import { boundedMessages, isRoleMessage, parseIsmErrorBody, quoteMessages, stringsOf, type IsmErrorBody } from './ism-errors.js';

/** Text of the entries of an `Errors` list: strings, or objects with a message. */
function errorTexts(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => {
    if (typeof item === 'string') return [item];
    if (typeof item !== 'object' || item === null) return [];
    const e = item as Record<string, unknown>;
    const text = e.Message ?? e.message ?? e.ErrorMessage ?? e.errorMessage ?? e.Description;
    return typeof text === 'string' ? [text] : [JSON.stringify(item).slice(0, 300)];
  });
}

/**
 * The error a success body reports, if it reports one: `{"Errors": [...]}` (non-empty), ISM's
 * `{code, message}` with an error code (ISM_4xxx, ISM_5xxx; ISM_2000 is ISM's "Ok"), the OData
 * `{"error": {...}}`, an ASP.NET `{"Message", "ExceptionMessage"}`, and `{"IsSuccess": false}`.
 * A record or a collection never has these at its top level.
 */
export function errorReportedIn(body: unknown): IsmErrorBody | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const errors = b.Errors ?? b.errors;
  if (errors !== undefined && errors !== null && !(Array.isArray(errors) && errors.length === 0) && !(typeof errors === 'object' && Object.keys(errors).length === 0)) {
    return { messages: errorTexts(errors) };
  }
  if (typeof b.code === 'string' && /^ISM_[45]\d{3}$/.test(b.code)) {
    return { code: b.code, description: typeof b.description === 'string' ? b.description : undefined, messages: stringsOf(b.message) };
  }
  if (typeof b.error === 'object' && b.error !== null) return parseIsmErrorBody(JSON.stringify({ error: b.error }));
  if (typeof b.ExceptionMessage === 'string' || typeof b.ExceptionType === 'string') {
    return { messages: [b.Message, b.ExceptionMessage].filter((m): m is string => typeof m === 'string') };
  }
  if (b.IsSuccess === false) return { messages: stringsOf(b.ErrorText) };
  return undefined;
}

export interface SuccessAnswer {
  status: number;
  body: unknown;
  method: string;
  /** The path below the OData root, for messages; never carries the key. */
  path: string;
}

/** A 2xx answer whose body reports an error, as a plugin error and ISM's messages; undefined for a real success. */
export function errorFromSuccessBody(a: SuccessAnswer): { error: PluginError; messages: string[] } | undefined {
  const reported = errorReportedIn(a.body);
  if (!reported) return undefined;
  const messages = reported.messages.length ? reported.messages : reported.description ? [reported.description] : [];
  const data = { status: a.status, code: reported.code, message: boundedMessages(messages) };
  const said = messages.length ? `: ${quoteMessages(messages)}` : '';
  const cause = `ISM answered ${a.method} ${a.path} with ${a.status}, but its body reports an error${said}.`;
  if (reported.code === 'ISM_4001') return { error: new PluginError(Presets.INVALID_API_KEY, { cause, data }), messages };
  if (isRoleMessage(messages)) return { error: new PluginError(Presets.UNAUTHORIZED, { cause, data }), messages };
  const preset = reported.code?.startsWith('ISM_5') ? Presets.SERVER_ERROR : Presets.BAD_REQUEST;
  const assistance =
    a.method === 'GET'
      ? preset.assistance
      : 'ISM said the request succeeded but reported an error: check in ISM whether the change was made before running the step again.';
  return { error: new PluginError(preset, { cause, assistance, data }), messages };
}
