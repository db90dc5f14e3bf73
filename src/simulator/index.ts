/**
 * A fake Ivanti Service Manager tenant for tests, demos and trying workflows without a tenant.
 *
 *   const sim = await startSimulator({ apiKeys: { 'KEY-ADMIN': 'Administrator', 'KEY-RO': 'SelfService' } });
 *   await fetch(`${sim.url}/api/odata/businessobject/incidents`, { headers: { Authorization: 'rest_api_key=KEY-ADMIN' } });
 *   await sim.close();
 */

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { DEFAULT_BEHAVIOUR, parseBehaviour, type Behaviour } from './behaviour.js';
import { FaultController } from './faults.js';
import { RingJournal, type RequestJournal } from './journal.js';
import type { KeyGrant } from './keys.js';
import type { Prefix } from './routes.js';
import { builtInSeed, loadSeedFile, normalizeSeed } from './seed.js';
import { createApp } from './server.js';
import { Counters, type SimulatorStats } from './stats.js';
import { TenantStore, type SimulatorStore } from './store.js';
import { createTenantApi, type RequestLogger } from './tenant.js';
import { selfSignedCertificate } from './tls.js';
import type { SeedData } from './types.js';

export type { Behaviour } from './behaviour.js';
export { DEFAULT_BEHAVIOUR, parseBehaviour } from './behaviour.js';
export type { KeyGrant } from './keys.js';
export type { RequestLogger } from './tenant.js';
export { IsmError, MESSAGES, UNAUTHORIZED_BODY, type IsmErrorBody } from './errors.js';
export {
  ERROR_BODY_SHAPES,
  FAULT_KINDS,
  FaultController,
  parseFaultRule,
  parseFaultSpec,
  parseRandomFaults,
  type ErrorBodyShape,
  type FaultBody,
  type FaultCounts,
  type FaultKind,
  type FaultRule,
  type FaultSpec,
  type FaultState,
  type FaultStatus,
  type RandomFaultOptions,
} from './faults.js';
export { INCIDENT_EXTRA_FIELDS, INCIDENT_FIELDS, NOTE_FIELDS, EMPLOYEE_FIELDS, type FieldType } from './fields.js';
export type { JournalEntry, RequestJournal, AuthorizationSeen } from './journal.js';
export {
  FilterError,
  compileFilter,
  formatFilter,
  parseFilter,
  quoteFilterString,
  type ComparisonOperator,
  type FilterLiteral,
  type FilterNode,
  type FilterSchema,
  type RowPredicate,
} from './odata-filter.js';
export { DEFAULT_VALIDATION_LISTS, builtInSeed, loadSeedFile, normalizeSeed, writeSeedFile } from './seed.js';
export type { SimulatorStats } from './stats.js';
export { BLOCKED_EXTENSIONS, type AttachmentRecord, type UploadFile, type UploadResult } from './attachments.js';
export { formatTimestamp } from './clock.js';
export { priorityFor } from './objects/incident.js';
export type { SimulatorStore } from './store.js';
export { MultipartError, boundaryOf, parseMultipart, type MultipartPart } from './multipart.js';
export type { FieldMap, Scalar, SeedData, SeedEmployee, SeedIncident, SeedLink, SeedNote, SeedRecord, SeedTeam, SeedValidationLists } from './types.js';

/** A key's role, or its role and the login it acts as. `SelfService` keys are read-only. */
export type ApiKeyOptions = string | { role: string; user?: string; readOnly?: boolean };

export type PrefixOption = 'both' | '/HEAT' | '';

export interface SimulatorOptions {
  /** API key to role (default `{ 'sim-admin-key': 'Administrator' }`). */
  apiKeys?: Record<string, ApiKeyOptions>;
  /** Base paths served: `/HEAT/api/...` and `/api/...` (`both`, default), or only one of them. */
  prefix?: PrefixOption;
  /** The tenant's data, or the path of a JSON file of the same shape (default: the built-in seed). */
  seed?: SeedData | string;
  /** HTTPS: `true` makes a self-signed certificate; or a certificate and key (PEM text or file paths). */
  tls?: boolean | { cert: string; key: string };
  host?: string;
  port?: number;
  /** Serve the `/__sim/...` admin routes. */
  admin?: boolean;
  /** Size of the request journal's ring buffer; 0 disables it (default 10000). */
  journalLimit?: number;
  behaviour?: Partial<Behaviour>;
  /** Log each request to stderr (true), to a given logger, or not at all (false, default). */
  logger?: boolean | RequestLogger;
  /** Source of "now" for timestamps the tenant writes. */
  clock?: () => Date;
  /** Offset of written timestamps in minutes east of UTC (default: the host's). */
  utcOffsetMinutes?: number;
  /** The attachment endpoint (`POST {prefix}/api/rest/Attachment`). */
  attachments?: AttachmentOptions;
}

export interface AttachmentOptions {
  /** Extensions refused, without the dot, any case (default BLOCKED_EXTENSIONS); `sim.store.blockedExtensions` changes them later. */
  blockedExtensions?: readonly string[];
  /** Largest upload body in bytes, answered 413 beyond (default DEFAULT_ATTACHMENT_BODY_LIMIT). */
  maxBodyBytes?: number;
}

/** Largest upload body by default: room for a 25 MiB file and its multipart framing. */
export const DEFAULT_ATTACHMENT_BODY_LIMIT = 26 * 1024 * 1024;

/** Fault controls: scripted and random faults, and counters of faults injected. */
export type SimulatorFaults = Pick<FaultController, 'script' | 'random' | 'clear' | 'counts' | 'resetCounts' | 'state'>;

export interface Simulator {
  /** Base URL with the preferred prefix: `http://127.0.0.1:PORT/HEAT`, or the origin when the prefix is ''. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  readonly host: string;
  /** The certificate (PEM) when serving HTTPS. */
  readonly certificate: string | undefined;
  /** The first API key given (handy for tests). */
  readonly apiKey: string;
  readonly journal: RequestJournal;
  readonly faults: SimulatorFaults;
  readonly store: SimulatorStore;
  /** Answer switches; change them at any time. */
  readonly behaviour: Behaviour;
  /** Requests answered and connections accepted so far (also `GET /__sim/stats`). */
  stats(): SimulatorStats;
  /** Closes the listener and destroys open sockets (kept-alive or hanging) at once. */
  close(): Promise<void>;
}

function readPem(value: string): string {
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

function grantsFrom(apiKeys: Record<string, ApiKeyOptions>): Map<string, KeyGrant> {
  const grants = new Map<string, KeyGrant>();
  for (const [key, option] of Object.entries(apiKeys)) {
    if (key === '') throw new Error('API keys must not be empty');
    const o = typeof option === 'string' ? { role: option } : option;
    grants.set(key, {
      role: o.role,
      user: o.user ?? 'admin',
      canWrite: !(o.readOnly ?? o.role.toLowerCase() === 'selfservice'),
    });
  }
  return grants;
}

function prefixesFor(option: PrefixOption): Prefix[] {
  if (option === 'both') return ['/HEAT', ''];
  if (option === '/HEAT' || option === '') return [option];
  throw new Error(`prefix must be 'both', '/HEAT' or '' (got ${JSON.stringify(option)})`);
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const apiKeys = options.apiKeys ?? { 'sim-admin-key': 'Administrator' };
  const keys = grantsFrom(apiKeys);
  const firstKey = Object.keys(apiKeys)[0] ?? '';
  const prefixOption = options.prefix ?? 'both';
  const prefixes = prefixesFor(prefixOption);
  const seed =
    options.seed === undefined ? builtInSeed() : typeof options.seed === 'string' ? await loadSeedFile(options.seed) : normalizeSeed(options.seed);
  const storeOptions: ConstructorParameters<typeof TenantStore>[1] = {};
  if (options.clock) storeOptions.clock = options.clock;
  if (options.utcOffsetMinutes !== undefined) storeOptions.utcOffsetMinutes = options.utcOffsetMinutes;
  if (options.attachments?.blockedExtensions) storeOptions.blockedExtensions = options.attachments.blockedExtensions;
  const attachmentBodyLimit = options.attachments?.maxBodyBytes ?? DEFAULT_ATTACHMENT_BODY_LIMIT;
  if (!Number.isInteger(attachmentBodyLimit) || attachmentBodyLimit < 1) throw new Error('attachments.maxBodyBytes must be a positive integer');
  const store = new TenantStore(seed, storeOptions);
  const faults = new FaultController();
  const journal = new RingJournal(options.journalLimit ?? 10_000);
  const behaviour: Behaviour = { ...DEFAULT_BEHAVIOUR, ...parseBehaviour(options.behaviour ?? {}) };
  const logger: RequestLogger | undefined =
    options.logger === true ? pino({ name: 'ism-simulator' }, pino.destination({ dest: 2, sync: true })) : options.logger || undefined;

  let tls: { cert: string; key: string } | undefined;
  if (options.tls === true) tls = await selfSignedCertificate();
  else if (options.tls) tls = { cert: readPem(options.tls.cert), key: readPem(options.tls.key) };

  const timers = new Set<NodeJS.Timeout>();
  const counters = new Counters();
  let origin = '';
  const tenant = createTenantApi({
    store,
    faults,
    journal,
    behaviour,
    keys,
    prefixes,
    origin: () => origin,
    tenantName: seed.tenantName ?? 'example-tenant.saasit.example',
    logger,
    timers,
    counters,
    attachmentBodyLimit,
  });
  const stats = (): SimulatorStats => counters.stats();
  const app = createApp({
    tenant,
    prefixes,
    counters,
    tls,
    admin: options.admin ? { store, faults, journal, behaviour, stats } : undefined,
    attachmentBodyLimit,
  });

  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? 0, host });
  } catch (err) {
    await app.close();
    throw err;
  }
  const port = (app.server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  origin = `${tls ? 'https' : 'http'}://${urlHost}:${port}`;
  const url = prefixes.includes('/HEAT') ? `${origin}/HEAT` : origin;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = app.close();
      // Kept-alive and hanging connections go at once rather than when their clients let go.
      const sockets = [...counters.sockets];
      const gone = sockets.map((socket) => new Promise((resolve) => socket.once('close', resolve)));
      for (const socket of sockets) socket.destroy();
      await Promise.all([closed, ...gone]);
    })();
    return closing;
  };

  return {
    url,
    origin,
    port,
    host,
    certificate: tls?.cert,
    apiKey: firstKey,
    journal,
    faults,
    store,
    behaviour,
    stats,
    close,
  };
}
