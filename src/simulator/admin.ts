/**
 * Admin routes under `/__sim/` (only when the simulator is started with `admin: true`): the same
 * controls tests have in-process, for a simulator running in another process. They are a Fastify
 * plugin of their own, outside the tenant's hooks: admin calls are not journalled, not counted
 * and never get faults.
 *
 *   GET    /__sim/journal[?last=N|since=SEQ]   entries, oldest first
 *   DELETE /__sim/journal
 *   GET    /__sim/faults                        scripted rules, random settings, counters
 *   POST   /__sim/faults                        {script: rule|rule[]} | {random: {...}} | rule
 *   DELETE /__sim/faults[?counts=reset]
 *   GET    /__sim/behaviour
 *   POST   /__sim/behaviour                     partial behaviour
 *   GET    /__sim/store/counts | incidents | incidents/{number or RecId} | notes | employees
 *   POST   /__sim/store/incidents/{number or RecId}   {fields, user?, at?}: a change made in the tenant,
 *                                        by another user (default admin), optionally committed late `at` a time
 *   GET    /__sim/store/attachments[?incident={number or RecId}]   metadata only, never the bytes
 *   GET    /__sim/store/records/{set}[/{RecId}]  any collection (`problems`, `ci__computers`, ...)
 *   POST   /__sim/store/reset
 *   GET    /__sim/stats                         {requests, connections, openConnections}
 */

import type { FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { JSON_TYPE } from './answers.js';
import { parseBehaviour, type Behaviour } from './behaviour.js';
import type { FaultController } from './faults.js';
import type { RingJournal } from './journal.js';
import type { SimulatorStats } from './stats.js';
import type { TenantStore } from './store.js';
import type { TenantApi } from './tenant.js';

export interface AdminContext {
  store: TenantStore;
  faults: FaultController;
  journal: RingJournal;
  behaviour: Behaviour;
  stats(): SimulatorStats;
}

type Query = Record<string, string | undefined>;
type Handler = (request: FastifyRequest, query: Query, body: string) => [number, unknown];

function reply(res: FastifyReply, status: number, value: unknown): void {
  res.code(status).header('content-type', JSON_TYPE).send(JSON.stringify(value));
}

function readJson(text: string): unknown {
  if (text.trim() === '') return {};
  return JSON.parse(text) as unknown;
}

function pathOf(request: FastifyRequest): string {
  const url = request.raw.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** `POST /__sim/store/incidents/{id}`: a change someone else makes in the tenant. */
function updateIncident(store: TenantStore, id: string, input: unknown): [number, unknown] {
  const { fields, user, at } = (input ?? {}) as { fields?: unknown; user?: unknown; at?: unknown };
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return [400, { error: 'fields must be an object of field names and values' }];
  if (user !== undefined && (typeof user !== 'string' || user === '')) return [400, { error: 'user must be a login ID' }];
  const when = at === undefined ? undefined : new Date(String(at));
  if (when !== undefined && Number.isNaN(when.getTime())) return [400, { error: 'at must be an ISO 8601 time' }];
  if (!(/^\d+$/.test(id) ? store.findIncidentByNumber(Number(id)) : store.findIncidentByRecId(id))) return [404, { error: `no incident ${id}` }];
  return [200, store.updateIncident(id, fields as Record<string, unknown>, { ...(user !== undefined ? { user: user as string } : {}), ...(when ? { at: when } : {}) })];
}

/** The admin routes; `tenant` answers `/__sim` itself, which is not an admin path. */
export function adminPlugin(ctx: AdminContext, tenant: TenantApi): FastifyPluginCallback {
  return (app, _options, done) => {
    const route = (method: 'GET' | 'POST' | 'DELETE', url: string, handler: Handler): void => {
      app.route({
        method,
        url,
        handler: (request, res) => {
          let status: number;
          let value: unknown;
          try {
            const body = request.body;
            const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
            [status, value] = handler(request, request.query as Query, text);
          } catch (err) {
            [status, value] = [400, { error: (err as Error).message }];
          }
          reply(res, status, value);
        },
      });
    };

    route('GET', '/journal', (_request, query) => {
      const { last, since } = query;
      const entries = last !== undefined ? ctx.journal.last(Number(last)) : since !== undefined ? ctx.journal.since(Number(since)) : ctx.journal.entries();
      return [200, { total: ctx.journal.total, size: ctx.journal.size, limit: ctx.journal.limit, entries }];
    });
    route('DELETE', '/journal', () => {
      ctx.journal.clear();
      return [200, { cleared: true }];
    });

    route('GET', '/faults', () => [200, ctx.faults.state()]);
    route('POST', '/faults', (_request, _query, body) => {
      const input = readJson(body) as Record<string, unknown>;
      if (input.clear === true) ctx.faults.clear();
      if ('fault' in input) ctx.faults.script(input as never);
      if (input.script !== undefined) ctx.faults.script(input.script as never);
      if (input.random !== undefined) ctx.faults.random(input.random as never);
      return [200, ctx.faults.state()];
    });
    route('DELETE', '/faults', (_request, query) => {
      ctx.faults.clear();
      if (query.counts === 'reset') ctx.faults.resetCounts();
      return [200, ctx.faults.state()];
    });

    route('GET', '/behaviour', () => [200, ctx.behaviour]);
    route('POST', '/behaviour', (_request, _query, body) => {
      Object.assign(ctx.behaviour, parseBehaviour(readJson(body)));
      return [200, ctx.behaviour];
    });

    route('POST', '/store/reset', () => {
      ctx.store.reset();
      return [200, ctx.store.counts()];
    });
    route('GET', '/store/counts', () => [
      200,
      { ...ctx.store.counts(), attachments: ctx.store.attachments().length, nextIncidentNumber: ctx.store.nextIncidentNumber() },
    ]);
    route('GET', '/store/attachments', (_request, query) => {
      const id = query.incident;
      if (id === undefined) return [200, ctx.store.attachments()];
      const record = /^\d+$/.test(id) ? ctx.store.findIncidentByNumber(Number(id)) : ctx.store.findIncidentByRecId(id);
      if (!record) return [404, { error: `no incident ${id}` }];
      return [200, ctx.store.attachmentsFor(String(record.RecId))];
    });
    route('GET', '/store/incidents', () => [200, ctx.store.incidents()]);
    route('GET', '/store/notes', () => [200, ctx.store.notes()]);
    route('GET', '/store/employees', () => [200, ctx.store.employees()]);
    route('GET', '/store/incidents/*', (request) => {
      const id = (request.params as { '*': string })['*'];
      const record = /^\d+$/.test(id) ? ctx.store.findIncidentByNumber(Number(id)) : ctx.store.findIncidentByRecId(id);
      if (!record) return [404, { error: `no incident ${id}` }];
      return [200, { ...record, notes: ctx.store.notesFor(String(record.RecId)), attachments: ctx.store.attachmentsFor(String(record.RecId)) }];
    });

    route('POST', '/store/incidents/*', (request, _query, body) => updateIncident(ctx.store, (request.params as { '*': string })['*'], readJson(body)));

    route('GET', '/store/records/*', (request) => {
      const [set = '', recId] = (request.params as { '*': string })['*'].split('/');
      const records = ctx.store.records(set);
      if (!records) return [404, { error: `no collection ${set}` }];
      if (recId === undefined || recId === '') return [200, records];
      const record = ctx.store.findRecord(set, recId);
      return record ? [200, record] : [404, { error: `no record ${recId} in ${set}` }];
    });

    route('GET', '/stats', () => [200, ctx.stats()]);

    app.setNotFoundHandler((request, res) => {
      const path = pathOf(request);
      if (!path.startsWith('/__sim/')) {
        tenant.serve(request, res);
        return;
      }
      reply(res, 404, { error: `no admin route ${request.raw.method ?? 'GET'} ${path}` });
    });
    app.setErrorHandler((error: FastifyError, _request, res) => {
      reply(res, error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 400, { error: error.message });
    });
    done();
  };
}
