/**
 * The Fastify app: one server (HTTP, or HTTPS with the given certificate) made by our own
 * factory so each accepted connection is counted and can be destroyed at close; the OData routes
 * and the attachment route under each enabled prefix and a not-found handler, all answered by the
 * tenant (tenant.ts); and
 * the `/__sim/...` admin routes when enabled (admin.ts), outside the tenant's hooks.
 */

import { STATUS_CODES, createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyPluginCallback, type FastifyReply, type FastifyRequest } from 'fastify';
import { adminPlugin, type AdminContext } from './admin.js';
import { MAX_BODY } from './request-body.js';
import type { Prefix } from './routes.js';
import type { Counters } from './stats.js';
import { EXCHANGE, parseQueryOptions, type TenantApi } from './tenant.js';

export interface AppOptions {
  tenant: TenantApi;
  prefixes: readonly Prefix[];
  counters: Counters;
  tls: { cert: string; key: string } | undefined;
  /** Serve the admin routes with this context; undefined leaves them out. */
  admin: AdminContext | undefined;
  /** Largest body of an upload to `api/rest/Attachment` (other requests: MAX_BODY). */
  attachmentBodyLimit: number;
}

/** Methods of the business object API; any other method reaches the not-found handler, which answers it the same way (405). */
const API_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * What Node itself answers a request it cannot parse: a bare status line (Fastify's default
 * handler would add a JSON body of its own, which ISM never sends).
 */
function clientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? 413 : 400;
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
  }
  socket.destroy(error);
}

function tenantPlugin(tenant: TenantApi, prefixes: readonly Prefix[], attachmentBodyLimit: number): FastifyPluginCallback {
  return (api, _options, done) => {
    api.addHook('onRequest', (request, reply, next) => {
      tenant.arrive(request, reply);
      next();
    });
    for (const prefix of prefixes) {
      api.route({ method: API_METHODS, url: `${prefix}/api/odata/businessobject/*`, bodyLimit: MAX_BODY, handler: tenant.answer });
      // Other casings reach the not-found handler, which the tenant answers the same way.
      api.route({ method: API_METHODS, url: `${prefix}/api/rest/Attachment`, bodyLimit: attachmentBodyLimit, handler: tenant.answer });
    }
    // Everything else is the tenant's too: 404 ISM_4004 (or 401 under /api/ without a valid key),
    // journalled and subject to faults like any request.
    api.setNotFoundHandler(tenant.answer);
    api.setErrorHandler(tenant.fail);
    done();
  };
}

export function createApp(options: AppOptions): FastifyInstance {
  const { tenant, counters, tls, admin } = options;
  const app = Fastify({
    logger: false,
    logController: new LogController({ disableRequestLogging: true }),
    // The routes set their own limits; this one is for the not-found handler, which may be
    // answering an upload (the tenant applies each path's limit to what it reads).
    bodyLimit: Math.max(MAX_BODY, options.attachmentBodyLimit),
    // HEAD is registered explicitly where the tenant serves it; admin GET routes have no HEAD.
    exposeHeadRoutes: false,
    forceCloseConnections: true,
    // close() destroys every connection itself; a request that still slips in is the tenant's to
    // answer, not Fastify's 503.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true, querystringParser: parseQueryOptions },
    clientErrorHandler: clientError,
    // A URL the router cannot decode: the tenant answers it (404 ISM_4004), the admin routes 400.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (admin && request.raw.url?.startsWith('/__sim/')) {
        reply.code(400).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ error: error.message }));
        return;
      }
      tenant.serve(request, reply);
    },
    serverFactory: (handler) => {
      const server = tls ? (createHttpsServer({ cert: tls.cert, key: tls.key }, handler) as unknown as Server) : createHttpServer(handler);
      counters.track(server);
      return server;
    },
  });
  app.decorateRequest(EXCHANGE, null);
  // Every body reaches the handlers as its raw bytes, whatever its Content-Type (or none).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.register(tenantPlugin(tenant, options.prefixes, options.attachmentBodyLimit));
  if (admin) app.register(adminPlugin(admin, tenant), { prefix: '/__sim' });
  return app;
}
