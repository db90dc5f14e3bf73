/**
 * Reading request bodies as the tenant does: every body arrives as raw bytes, whatever its
 * Content-Type (or none), each path with its own size limit; a body over the limit is read to
 * its end and dropped before the 413 is sent, so the client sees the answer, not a broken pipe.
 */

import type { FastifyRequest } from 'fastify';

/** Largest request body read (Fastify's bodyLimit too), except uploads, which have their own. */
export const MAX_BODY = 10 * 1024 * 1024;
/** Most bytes of a too-large body read (and dropped) before its 413 is sent; beyond, the connection is dropped. */
const DRAIN_LIMIT = 256 * 1024 * 1024;

/**
 * The raw body: what the content-type parser read, or, for a request Fastify does not parse
 * (GET or HEAD with a body, DELETE or OPTIONS without Content-Type, an unknown method, or a
 * Content-Type Fastify refused), read here as the tenant reads any body. `tooLarge` is called
 * instead of `done` when the body grows past `limit`.
 */
export function readBody(request: FastifyRequest, limit: number, done: (body: Buffer) => void, tooLarge: () => void): void {
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
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) over = true;
    else chunks.push(chunk);
  });
  req.on('end', () => {
    if (!over) done(Buffer.concat(chunks));
    else tooLarge();
  });
  req.on('error', () => {
    // The client went away; nothing to answer.
  });
}

/**
 * Calls `answer` once the rest of a too-large body has been read and dropped (at once when it
 * already has been, or when the body is declared larger than DRAIN_LIMIT, whose connection is
 * then closed); `gone` when the client goes away first. A body that grows beyond DRAIN_LIMIT
 * without saying so has its connection dropped.
 */
export function drainBody(request: FastifyRequest, answer: () => void, gone: () => void): void {
  const req = request.raw;
  const declared = Number(req.headers['content-length']);
  if (req.complete || req.readableEnded || req.destroyed || declared > DRAIN_LIMIT) {
    answer();
    return;
  }
  let drained = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) req.socket.destroy();
  });
  req.once('end', answer);
  req.once('close', () => {
    if (!req.complete) gone();
  });
  req.on('error', () => {
    // The client went away; nothing to answer.
  });
  req.resume();
}
