/** Shared helpers for the simulator tests: start a simulator, call it over real HTTP. */

import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';

export const ADMIN_KEY = 'KEY-ADMIN';
export const READONLY_KEY = 'KEY-RO';

/** RecIds and numbers of the built-in seed the tests lean on. */
export const SEED = {
  exampleUser: '9C3DD5203AB14D857E11FCFB2A3FBDDA',
  johnDoe: '4C9965E6E2D3088A3ACB25F786D4E1F5',
  siobhan: '86BD40A252705E411E9D93FCB9C85637',
  ceo: '1DF52023C8D59242F24CE9FB03E9EF94',
  incident10001: 'BC6E2562367D08417D67FAECB5841C25',
  incident10002: '719F8BD5B1688AA0A9AF8F36F6A7E934',
  incident10005Closed: '5BA403CEDFDCDAE67EA3FC85B0189071',
  incident10006: '65F494258B2AF338182C42C23E423708',
} as const;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (throws if it is not JSON). */
  json: <T = any>() => T;
}

export async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ apiKeys: { [ADMIN_KEY]: 'Administrator', [READONLY_KEY]: 'SelfService' }, ...options });
}

export interface CallOptions {
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Base to resolve the path against (default: `${sim.url}/api/odata/businessobject/`). */
  base?: string;
}

/** Calls the simulator; `path` is relative to the business object base unless it starts with `/` or `http`. */
export async function call(sim: Simulator, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const base = options.base ?? `${sim.url}/api/odata/businessobject/`;
  const url = path.startsWith('http') ? path : path.startsWith('/') ? `${sim.origin}${path}` : `${base}${path}`;
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? ADMIN_KEY : options.key;
  if (key !== null) headers.Authorization = `rest_api_key=${key}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** A valid incident payload; override fields as needed. */
export function incidentPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Subject: 'Laptop will not boot',
    Symptom: 'Black screen after the logo.',
    ProfileLink: SEED.exampleUser,
    TypeOfIncident: 'Failure',
    Source: 'Phone',
    ...overrides,
  };
}

export function enc(value: string): string {
  return encodeURIComponent(value);
}
