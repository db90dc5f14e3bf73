/**
 * The answers of the faults that replace or spoil ISM's answer: an error status with the body a
 * gateway or ISM would send (JSON, an HTML error page that leaks a session id and host names,
 * or one that echoes the request headers), a truncated JSON body, a success status carrying an
 * error body, and an answer far larger than any real one.
 */

import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
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

const ERROR_BODIES: Readonly<Record<Extract<FaultSpec, { kind: 'error-body' }>['shape'], unknown>> = {
  errors: { Errors: [{ ErrorCode: 'SaveFailed', Message: 'The record could not be saved: a business rule refused it.' }] },
  ism: { code: 'ISM_4000', description: 'Invalid Request Payload', message: ['The record could not be saved: a business rule refused it.'], help: '' },
  odata: { error: { code: 'SaveFailed', message: { lang: 'en-US', value: 'The record could not be saved: a business rule refused it.' } } },
  exception: { Message: 'An error has occurred.', ExceptionMessage: 'The record could not be saved: a business rule refused it.', ExceptionType: 'System.InvalidOperationException' },
};

/** The answer of an `error-body` fault: a success status with an error body; nothing is applied. */
export function errorBodyAnswer(fault: Extract<FaultSpec, { kind: 'error-body' }>): Answer {
  return { status: fault.status ?? 200, body: JSON.stringify(ERROR_BODIES[fault.shape]), applied: false };
}

/**
 * The body of an `oversized` fault: `{"value":[{"Padding":"xxx..."}]}`, exactly `bytes` long,
 * made chunk by chunk as the client reads it, so the simulator never holds it in memory.
 */
export function oversizedBody(bytes: number): Readable {
  const head = '{"value":[{"Padding":"';
  const tail = '"}]}';
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let padding = Math.max(0, bytes - head.length - tail.length);
  let started = false;
  return new Readable({
    read() {
      if (!started) {
        started = true;
        this.push(head);
        return;
      }
      if (padding > 0) {
        const n = Math.min(padding, chunk.length);
        padding -= n;
        this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
        return;
      }
      this.push(tail);
      this.push(null);
    },
  });
}
