/**
 * Shared by the Ivanti plugin tests: an in-process ISM simulator and the plugin behind the
 * runtime's real HTTP server, with the pino log captured; InsightConnect envelopes posted
 * with fetch; the simulator's journal read per step.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { RetryPolicy } from '../../src/ivanti/connection.js';
import { loadSpecFile } from '../../src/spec/load.js';
import { startIsmStack, type Json, type Stack, type StackOptions as IsmStackOptions } from '../fixtures/ism-stack.js';
import { sampleMessage } from '../../src/spec/sample.js';
import { formatFilter, type FilterNode, type JournalEntry, type SeedData, type SeedEmployee } from '../../src/simulator/index.js';

/** The API keys planted in every connection; no answer or log line may ever show them. */
export const KEY = 'ISM-adm1n-K3Y-5ecret-0f9d2c71';
export const RO_KEY = 'ISM-r3ad0nly-K3Y-5ecret-8a1e4b';

/** Retries as the production policy, with backoff short enough for a test suite. */
export const FAST_RETRY: Partial<RetryPolicy> = { baseDelayMs: 5, maxDelayMs: 20, retryAfterCapMs: 2_000 };

/** RecIds and numbers of the simulator's built-in seed. */
export const SEED = {
  exampleUser: '9C3DD5203AB14D857E11FCFB2A3FBDDA',
  johnDoe: '4C9965E6E2D3088A3ACB25F786D4E1F5',
  johnSmith: 'AA8FE498A656056D616E7B0B92A428CB',
  siobhan: '86BD40A252705E411E9D93FCB9C85637',
  conor: '6B1052030BFEECC9197747561E816EC6',
  alexMorgan: 'BB305AFE13EA9EB560CA184630377E68',
  alexKim: 'E9F4CD56A2F0A93C638CE0D32694B7B1',
  incident10001: 'BC6E2562367D08417D67FAECB5841C25',
  incident10002: '719F8BD5B1688AA0A9AF8F36F6A7E934',
  incident10004Resolved: 'E5EC61B5319817C314928FF27A1A585C',
  incident10005Closed: '5BA403CEDFDCDAE67EA3FC85B0189071',
} as const;

/** RecIds of the built-in seed's other business objects. */
export const RECORDS = {
  incident10006: '65F494258B2AF338182C42C23E423708',
  problem5001: 'DB6C5EF674754DF7047054037533958A',
  problem5002: 'DC6B8B076758094D1D3B3B861C8DCE95',
  problem5003: '5B9D52CBD2E2BCDE3192CD8993138B4D',
  change7001: '93FE593C9CA650D690C5D2AD8B300D30',
  laptopUser: '9EFDD86E4BBC00B07B639F52737B8BBF',
  laptopCeo: '3942451151B780825522A159198BB02F',
  vpnGateway: 'B60F4F42E41AB90A1107BFEA94D3FF67',
  laptopLondon: 'C9E3EE315AD94A21C498EB768881E5A6',
  ipIndicator: '134D3835C0AC44E60E7271A862A9D8C8',
  domainIndicator: '357C2969288D70C4865660B3121DB0AA',
  task30001: '63211AC0B584B7037329BFA67CD8F57B',
} as const;

export type { Json, Stack, StepAnswer } from '../fixtures/ism-stack.js';

export interface StackOptions extends Omit<IsmStackOptions, 'server'> {
  /** The runtime server's largest request body (default 1 MiB). */
  bodyLimit?: number;
}

/** An employee for a seed: the seed's first employee with another RecId, login, name and email. */
export function employee(seed: SeedData, recId: string, login: string, display: string, email: string): SeedEmployee {
  return {
    ...seed.employees[0]!,
    RecId: recId,
    LoginID: login,
    DisplayName: display,
    FirstName: display.split(' ')[0]!,
    LastName: display.split(' ')[1] ?? '',
    PrimaryEmail: email,
  };
}

/** Fails loudly when a text shows one of the planted keys. */
export function assertNoSecret(text: string, where: string): void {
  for (const key of [KEY, RO_KEY]) {
    if (text.includes(key)) throw new Error(`the API key appears in ${where}: ${text.slice(0, 400)}`);
  }
}

/** The stack with both planted keys; every answer and the process log are checked for them. */
export function startStack(options: StackOptions = {}): Promise<Stack> {
  const { bodyLimit, ...rest } = options;
  return startIsmStack(
    {
      apiKeys: { [KEY]: 'Administrator', [RO_KEY]: 'SelfService' },
      key: KEY,
      retry: FAST_RETRY,
      loggerName: 'ivanti-test',
      meta: { job: 't' },
      inspect: (text, log, path) => {
        assertNoSecret(text, `the answer to ${path}`);
        assertNoSecret(log, 'the process log');
      },
    },
    { ...rest, ...(bodyLimit !== undefined ? { server: { bodyLimit } } : {}) },
  );
}

const SPEC_FILE = fileURLToPath(new URL('../../plugin.spec.yaml', import.meta.url));
let specCache: ReturnType<typeof loadSpecFile> | undefined;

/** The spec's example input of an action (what `node dist/cli.js sample <action>` prints). */
export function sampleInput(action: string, overrides: Json = {}): Json {
  specCache ??= loadSpecFile(SPEC_FILE);
  const message = sampleMessage(specCache, action);
  if (!message) throw new Error(`no sample for ${action}`);
  return { ...(message.body.input as Json), ...overrides };
}

/** The filter of a journal entry, written back fully parenthesised. */
export function filterOf(entry: JournalEntry | undefined): string {
  const ast = entry?.filter?.ast;
  if (!ast) throw new Error(`no parsed filter in ${JSON.stringify(entry?.query)} (${entry?.filter?.error ?? 'none'})`);
  return formatFilter(ast);
}

/** Every string literal of a parsed filter. */
export function stringLiterals(node: FilterNode | undefined): string[] {
  if (!node) return [];
  if (node.type === 'compare') return node.value.kind === 'string' ? [node.value.value] : [];
  return [...stringLiterals(node.left), ...stringLiterals(node.right)];
}

/** Requests of a step, as `METHOD set` (with `(key)` for one record). */
export function shape(entries: JournalEntry[]): string[] {
  return entries.map((e) => `${e.method} ${e.set ?? e.path}${e.key ? `(${e.key})` : ''}`);
}

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TcpProxy {
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  /** Refuse (destroy at once) the next `n` connections. */
  refuseNext(n: number): void;
  close(): Promise<void>;
}

/** A TCP relay in front of the simulator: counts connections (keep-alive) and can drop them. */
export async function tcpProxy(targetPort: number): Promise<TcpProxy> {
  const { connect } = await import('node:net');
  const sockets = new Set<Socket>();
  let refuse = 0;
  const state = { connections: 0 };
  const server: Server = createServer((client) => {
    state.connections++;
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    if (refuse > 0) {
      refuse--;
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return state.connections;
    },
    refuseNext(n: number) {
      refuse = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
