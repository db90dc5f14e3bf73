/**
 * The HTTP API's optional shared secret: when the operator sets one, every route but
 * `GET /api/v1/status` wants `Authorization: Bearer <token>`, checked before the body is read.
 * Tokens are compared in constant time (their SHA-256 digests, so the length leaks nothing
 * either), and the token is never logged or echoed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The route a load balancer or health check reaches without the token. */
const OPEN_ROUTE = '/api/v1/status';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Whether `given` is the token, in time that depends on neither's content nor length. */
export function sameToken(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

const UNAUTHORIZED = JSON.stringify({
  statusCode: 401,
  code: 'UNAUTHORIZED',
  error: 'Unauthorized',
  message: 'This plugin server requires its API token: send Authorization: Bearer <token>.',
});

/** An onRequest hook that lets through only requests carrying the token (and the status route). */
export function requireToken(token: string) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const path = request.url.split('?', 1)[0];
    if (request.method === 'GET' && path === OPEN_ROUTE) return done();
    const match = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '');
    if (match && sameToken(match[1]!, token)) return done();
    void reply.code(401).header('www-authenticate', 'Bearer').type('application/json; charset=utf-8').send(UNAUTHORIZED);
  };
}
