/**
 * What a plugin gives the runtime. The runtime is generic: it knows steps, schemas,
 * connections and envelopes, and nothing about any particular product.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StepLogger } from './step-log.js';
import type { ValidatorSource } from './validate.js';

export interface PluginInfo {
  name: string;
  title: string;
  description: string;
  version: string;
  vendor: string;
  support: string;
  plugin_spec_version: string;
  tags: readonly string[];
  sdk_version: string;
}

export interface StepSummary {
  name: string;
  title: string;
  description: string;
}

/** The generated manifest: what `info` and the server need without reading the spec. */
export interface PluginManifest {
  info: PluginInfo;
  actions: readonly StepSummary[];
  triggers: readonly StepSummary[];
}

/** A live connection to the remote service, created once per distinct connection and cached. */
export interface PluginConnection {
  /**
   * The connection test: a cheap authenticated call. Its result is the test step's output.
   * `signal` aborts when the step is stopped (see StepContext.signal).
   */
  test(log: StepLogger, signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** Releases sockets and timers when the connection leaves the cache. */
  close?(): void | Promise<void>;
}

export interface StepContext<C extends PluginConnection> {
  connection: C;
  log: StepLogger;
  /** Opaque workflow context from the start message. */
  meta: Record<string, unknown>;
  /**
   * Aborts when the step is stopped: its HTTP caller hung up, or `run` got SIGTERM or SIGINT.
   * Its reason is the error the step should end with. A stopped step sends no write it has
   * not sent yet; reads may be abandoned at once.
   */
  signal: AbortSignal;
}

export interface ActionHandler<I, O, C extends PluginConnection> {
  run(input: I, ctx: StepContext<C>): Promise<O>;
}

/** Where a trigger sends each event it produces. */
export interface TriggerEmitter<O> {
  /** Resolves once the event was accepted; rejects if it could not be delivered. */
  emit(output: O): Promise<void>;
}

export interface TriggerContext<C extends PluginConnection, O> extends StepContext<C> {
  emitter: TriggerEmitter<O>;
  /** Aborted when the process is asked to stop. */
  signal: AbortSignal;
  /** Durable state across restarts (a file, when configured), keyed by the trigger. */
  state: TriggerState;
}

export interface TriggerState {
  load(): Promise<Record<string, unknown> | undefined>;
  save(state: Record<string, unknown>): Promise<void>;
}

export interface TriggerHandler<I, O, C extends PluginConnection> {
  /**
   * Checks the input beyond its schema (a bound the spec states in words) before the trigger
   * starts: a thrown error is answered like a schema error, with one error envelope.
   */
  checkInput?(input: I): void;
  /** Runs until the signal aborts. */
  run(input: I, ctx: TriggerContext<C, O>): Promise<void>;
}

type StepTypes = Record<string, { input: unknown; output: unknown }>;
/** The generated `ActionTypes`/`TriggerTypes` interfaces have this shape. */
type StepTypeMap<T> = { [K in keyof T]: { input: unknown; output: unknown } };

export interface PluginDefinition<
  Config = unknown,
  C extends PluginConnection = PluginConnection,
  A extends StepTypeMap<A> = StepTypes,
  T extends StepTypeMap<T> = StepTypes,
> {
  manifest: PluginManifest;
  /** Absolute path of plugin.spec.yaml (served by the API and used for samples). */
  specFile: string;
  validators: ValidatorSource;
  connect(config: Config, log: StepLogger): Promise<C> | C;
  /**
   * The URL a connection reaches (its tenant), for a server that admits only some hosts. It may
   * throw a PluginError for a URL that cannot be used at all.
   */
  connectionTarget?(config: Config): string;
  actions: { [K in keyof A]: ActionHandler<A[K]['input'], A[K]['output'], C> };
  triggers: { [K in keyof T]: TriggerHandler<T[K]['input'], T[K]['output'], C> };
}

/** A plugin with its types erased, as the runtime handles it (the config is passed through unread). */
export type AnyPlugin = PluginDefinition<never, PluginConnection, StepTypes, StepTypes>;

/** Typed identity: lets the compiler check a plugin's handlers against its generated types. */
export function definePlugin<Config, C extends PluginConnection, A extends StepTypeMap<A>, T extends StepTypeMap<T>>(
  plugin: PluginDefinition<Config, C, A, T>,
): PluginDefinition<Config, C, A, T> {
  return plugin;
}

/**
 * The plugin's spec file, found by walking up from a module's own location: the same
 * code works from src/ (tests), from dist/ (compiled) and from a bundled dist/cli.js.
 */
export function findSpecFile(moduleUrl: string, name = 'plugin.spec.yaml'): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${name} not found above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}
