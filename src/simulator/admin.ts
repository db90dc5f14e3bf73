/**
 * Admin routes under `/__sim/` (only when the simulator is started with `admin: true`): the same
 * controls tests have in-process, for a simulator running in another process.
 *
 *   GET    /__sim/journal[?last=N|since=SEQ]   entries, oldest first
 *   DELETE /__sim/journal
 *   GET    /__sim/faults                        scripted rules, random settings, counters
 *   POST   /__sim/faults                        {script: rule|rule[]} | {random: {...}} | rule
 *   DELETE /__sim/faults
 *   GET    /__sim/behaviour
 *   POST   /__sim/behaviour                     partial behaviour
 *   GET    /__sim/store/counts | incidents | incidents/{number or RecId} | notes | employees
 *   POST   /__sim/store/reset
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBehaviour, type Behaviour } from './app.js';
import type { FaultController } from './faults.js';
import type { RingJournal } from './journal.js';
import type { TenantStore } from './store.js';

export interface AdminContext {
  store: TenantStore;
  faults: FaultController;
  journal: RingJournal;
  behaviour: Behaviour;
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readJson(text: string): unknown {
  if (text.trim() === '') return {};
  return JSON.parse(text) as unknown;
}

export function createAdminHandler(ctx: AdminContext): (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: string) => void {
  return (req, res, path, query, body) => {
    const method = req.method ?? 'GET';
    const route = path.replace(/\/+$/, '');
    try {
      if (route === '/__sim/journal') {
        if (method === 'GET') {
          const last = query.get('last');
          const since = query.get('since');
          const entries = last !== null ? ctx.journal.last(Number(last)) : since !== null ? ctx.journal.since(Number(since)) : ctx.journal.entries();
          reply(res, 200, { total: ctx.journal.total, size: ctx.journal.size, limit: ctx.journal.limit, entries });
          return;
        }
        if (method === 'DELETE') {
          ctx.journal.clear();
          reply(res, 200, { cleared: true });
          return;
        }
      }
      if (route === '/__sim/faults') {
        if (method === 'GET') {
          reply(res, 200, ctx.faults.state());
          return;
        }
        if (method === 'POST') {
          const input = readJson(body) as Record<string, unknown>;
          if (input.clear === true) ctx.faults.clear();
          if ('fault' in input) ctx.faults.script(input as never);
          if (input.script !== undefined) ctx.faults.script(input.script as never);
          if (input.random !== undefined) ctx.faults.random(input.random as never);
          reply(res, 200, ctx.faults.state());
          return;
        }
        if (method === 'DELETE') {
          ctx.faults.clear();
          if (query.get('counts') === 'reset') ctx.faults.resetCounts();
          reply(res, 200, ctx.faults.state());
          return;
        }
      }
      if (route === '/__sim/behaviour') {
        if (method === 'POST') Object.assign(ctx.behaviour, parseBehaviour(readJson(body)));
        if (method === 'POST' || method === 'GET') {
          reply(res, 200, ctx.behaviour);
          return;
        }
      }
      if (route.startsWith('/__sim/store/')) {
        const what = route.slice('/__sim/store/'.length);
        if (method === 'POST' && what === 'reset') {
          ctx.store.reset();
          reply(res, 200, ctx.store.counts());
          return;
        }
        if (method === 'GET') {
          if (what === 'counts') return reply(res, 200, { ...ctx.store.counts(), nextIncidentNumber: ctx.store.nextIncidentNumber() });
          if (what === 'incidents') return reply(res, 200, ctx.store.incidents());
          if (what === 'notes') return reply(res, 200, ctx.store.notes());
          if (what === 'employees') return reply(res, 200, ctx.store.employees());
          const one = /^incidents\/(.+)$/.exec(what);
          if (one) {
            const id = decodeURIComponent(one[1] as string);
            const record = /^\d+$/.test(id) ? ctx.store.findIncidentByNumber(Number(id)) : ctx.store.findIncidentByRecId(id);
            if (!record) return reply(res, 404, { error: `no incident ${id}` });
            return reply(res, 200, { ...record, notes: ctx.store.notesFor(String(record.RecId)) });
          }
        }
      }
      reply(res, 404, { error: `no admin route ${method} ${path}` });
    } catch (err) {
      reply(res, 400, { error: (err as Error).message });
    }
  };
}
