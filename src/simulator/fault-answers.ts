/**
 * The answers of the faults that replace or spoil ISM's answer: an error status with the body a
 * gateway or ISM would send (JSON, an HTML error page that leaks a session id and host names,
 * or one that echoes the request headers), and a truncated JSON body.
 */

import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Answer } from './answers.js';
import type { FaultSpec } from './faults.js';
import type { Prefix } from './routes.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STATUS_BODIES: Readonly<Record<number, unknown>> = {
  429: { Message: 'Too many requests. Please retry later.' },
  500: { code: 'ISM_5000', description: 'Internal Server Error', message: ['An unexpected error occurred while processing the request.'], help: '' },
  502: { Message: 'Bad Gateway: the upstream server returned an invalid response.' },
  503: { Message: 'The service is unavailable. Please try again later.' },
  504: { Message: 'Gateway Timeout: the upstream server did not answer in time.' },
};

/** The answer of a `status` fault; nothing is applied. */
export function statusFaultAnswer(fault: Extract<FaultSpec, { kind: 'status' }>, req: IncomingMessage, prefix: Prefix | null, tenantName: string): Answer {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  const body = fault.body ?? 'json';
  if (body === 'html') {
    const sessionId = randomBytes(12).toString('hex').toUpperCase();
    const host = `ism-app-07.${tenantName}`;
    const detail =
      `Object reference not set to an instance of an object. SessionId="${sessionId}" ` +
      `Host="${host}" Tenant="${tenantName}" Path="${req.url ?? ''}"`;
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
  return { status: fault.status, body: JSON.stringify(STATUS_BODIES[fault.status]), headers, applied: false };
}

/** The first half of a body, made sure not to parse as JSON (the `invalid-json` fault). */
export function truncate(body: string | undefined): string {
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
