/**
 * The one pipeline every way in goes through (HTTP run and test, stdin run and test,
 * connection test): envelope -> step -> connection -> input -> step -> output -> envelope.
 */
import { ConnectionCache, connectionCacheKey, CACHE_KEY_FIELD } from './connections.js';
import {
  EVENT_TYPE,
  errorEnvelope,
  okEnvelope,
  parseStartMessage,
  salvageMeta,
  sendInstead,
  type EventEnvelope,
  type EventType,
  type JsonObject,
  type StartMessage,
} from './envelope.js';
import { ClientError, describeError, OutputValidationError, Presets } from './errors.js';
import { connectionSecrets, SecretMask } from './mask.js';
import type { AnyPlugin, PluginConnection } from './plugin.js';
import { StepLog, type ProcessLogger, type StepLogger } from './step-log.js';
import { didYouMean } from './suggest.js';
import { ignoredNamesWarning } from './ignored-names.js';
import type { AllowedHosts } from './allowed-hosts.js';
import { describeValidationErrors, dropBlankOptional, findEmptyRequired, ValidatorCache, type StepKind, type StepValidatorModule } from './validate.js';

/** `trigger`: a trigger started with `run` on stdin (the only way triggers start). */
export type ExecuteMode = 'run' | 'test' | 'trigger';

export interface ExecuteOptions {
  mode: ExecuteMode;
  /** What the HTTP route names; the message must agree with it. */
  route?: { kind: StepKind; name: string } | { kind: 'connection' };
  /** Aborts when the step is stopped (its caller hung up, the process got SIGTERM); see StepContext.signal. */
  signal?: AbortSignal;
}

export interface ExecuteResult {
  status: 200 | 400 | 500;
  envelope: EventEnvelope;
}

export interface RuntimeOptions {
  logger?: ProcessLogger;
  connectionCacheSize?: number;
  /**
   * The tenant hosts connections may go to (the plugin names a connection's address with
   * `connectionTarget`); any other is refused before the plugin connects. Unset: any host.
   */
  allowedHosts?: AllowedHosts;
}

const CONNECTION_NAMES = { noun: 'setting', what: 'connection setting', owner: "this plugin's connection" };

const ROUTE_EVENT: Readonly<Record<string, EventType>> = {
  action: 'action_event',
  trigger: 'trigger_event',
  connection: 'connection_test',
};

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whole milliseconds since `started` (process.hrtime.bigint()). The clock of perf_hooks would
 * do as well, but loading that module is a few milliseconds of every one-shot run.
 */
function elapsedMs(started: bigint): number {
  return Number((process.hrtime.bigint() - started + 500_000n) / 1_000_000n);
}

/** A name from the client, cut short for a message: it may be 200 KB long. */
function shortName(name: string | undefined): string {
  const text = String(name);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The secrets a message carries, found even when the message is otherwise broken. */
export function messageSecrets(message: unknown): string[] {
  if (!isObject(message) || !isObject(message.body)) return [];
  return connectionSecrets(message.body.connection);
}

export interface PreparedStep {
  message: StartMessage;
  connection: PluginConnection;
  mask: SecretMask;
}

export class Runtime {
  readonly plugin: AnyPlugin;
  private readonly logger?: ProcessLogger;
  private readonly connections: ConnectionCache;
  private readonly validators: ValidatorCache;
  private readonly allowedHosts?: AllowedHosts;

  constructor(plugin: AnyPlugin, options: RuntimeOptions = {}) {
    this.plugin = plugin;
    this.logger = options.logger;
    this.connections = new ConnectionCache(options.connectionCacheSize ?? 64);
    this.validators = new ValidatorCache(plugin.validators);
    if (options.allowedHosts && !plugin.connectionTarget) throw new Error('an allow-list of tenant hosts needs a plugin that names where its connections go (connectionTarget)');
    this.allowedHosts = options.allowedHosts;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** The connections remembered as already checked; bounded like the connection cache. */
  get checkedConnectionCount(): number {
    return this.checked.size;
  }

  stepExists(kind: StepKind, name: string): boolean {
    const table = kind === 'action' ? this.plugin.actions : this.plugin.triggers;
    return Object.hasOwn(table, name);
  }

  private stepNames(kind: StepKind): string[] {
    return Object.keys(kind === 'action' ? this.plugin.actions : this.plugin.triggers);
  }

  /** Checks the message against the route and the plugin: every failure here is the client's. */
  private checkStep(message: StartMessage, options: ExecuteOptions): void {
    const route = options.route;
    if (route?.kind === 'connection' && message.type !== 'connection_test') {
      throw new ClientError(Presets.INVALID_MESSAGE, `This route tests a connection: send a connection_test message, not ${message.type}.`);
    }
    if (route && route.kind !== 'connection') {
      const wanted = route.kind === 'action' ? 'action_start' : 'trigger_start';
      if (message.type !== wanted) {
        throw new ClientError(Presets.INVALID_MESSAGE, `This route takes ${wanted} messages, not ${message.type}.`);
      }
      if (message.step?.name !== route.name) {
        throw new ClientError(
          Presets.INVALID_MESSAGE,
          `The route names the ${route.kind} '${shortName(route.name)}' but the message names '${shortName(message.step?.name)}'; they must be the same.`,
        );
      }
    }
    if (message.step && !this.stepExists(message.step.kind, message.step.name)) {
      const names = this.stepNames(message.step.kind);
      throw new ClientError(
        Presets.INVALID_MESSAGE,
        `Unknown ${message.step.kind} '${shortName(message.step.name)}'${didYouMean(message.step.name, names)} This plugin has: ${names.length ? names.join(', ') : '(none)'}.`,
      );
    }
    if (message.type === 'trigger_start' && options.mode === 'run') {
      throw new ClientError(Presets.INVALID_MESSAGE, "A trigger is started only with 'run' on stdin, never over HTTP; its test route tests its connection.");
    }
    if (options.mode === 'trigger' && message.type !== 'trigger_start') {
      throw new ClientError(Presets.INVALID_MESSAGE, `Expected a trigger_start message, not ${message.type}.`);
    }
  }

  /**
   * A refused message's error with an example of what to send instead: the message type the
   * route (or command) takes, never another.
   */
  private withExample(err: unknown, options: ExecuteOptions): unknown {
    if (!(err instanceof ClientError) || err.preset !== Presets.INVALID_MESSAGE) return err;
    const route = options.route;
    const known = (kind: StepKind, name: string) => (this.stepExists(kind, name) ? name : undefined);
    const example =
      route?.kind === 'connection'
        ? sendInstead('connection_test')
        : route !== undefined
          ? sendInstead(route.kind === 'action' ? 'action_start' : 'trigger_start', known(route.kind, route.name))
          : options.mode === 'trigger'
            ? sendInstead('trigger_start')
            : options.mode === 'test'
              ? sendInstead('connection_test')
              : sendInstead('action_start');
    return new ClientError(err.preset, err.reason, err.data, example);
  }

  /**
   * The connections already checked, by their JSON text as sent: orchestrators send the same
   * connection with every step, so checking it and hashing it into a cache key are done once.
   * The text is the whole connection, so an entry only ever serves the very same connection.
   * Bounded like the connection cache; a connection that failed its check is not kept.
   */
  private readonly checked = new Map<string, { config: JsonObject; key: string; ignored?: string }>();

  /** Validates the connection (defaults applied) and returns the cached or a new connection. */
  private async connect(raw: JsonObject, log: StepLog): Promise<PluginConnection> {
    const text = JSON.stringify(raw);
    let entry = this.checked.get(text);
    if (entry === undefined) {
      const config: JsonObject = { ...raw };
      delete config[CACHE_KEY_FIELD];
      const { connection: validate, connectionNames } = await this.validators.connection();
      const ignored = ignoredNamesWarning(CONNECTION_NAMES, config, connectionNames);
      if (ignored !== undefined) log.warn(ignored);
      if (!validate(config)) {
        throw new ClientError(Presets.INVALID_CONNECTION, `The connection is not valid: ${describeValidationErrors(validate.errors, config)}.`);
      }
      this.checkTarget(config);
      // The key is computed after defaults, so a connection written with or without them is one entry.
      entry = { config, key: connectionCacheKey({ ...config, [CACHE_KEY_FIELD]: raw[CACHE_KEY_FIELD] }), ignored };
      this.checked.set(text, entry);
      if (this.checked.size > this.connections.capacity) this.checked.delete(this.checked.keys().next().value as string);
    } else if (entry.ignored !== undefined) {
      log.warn(entry.ignored);
    }
    const { config, key } = entry;
    // The key covers every setting and the secret: a cached connection is this very connection.
    // The plugin gets its own copy: the checked one is shared by later steps.
    return this.connections.get(key, async () => this.plugin.connect(structuredClone(config) as never, log));
  }

  /** Refuses a connection to a host off the allow-list, before anything is sent anywhere. */
  private checkTarget(config: JsonObject): void {
    if (!this.allowedHosts) return;
    const target = new URL(this.plugin.connectionTarget!(structuredClone(config) as never));
    if (this.allowedHosts.allows(target)) return;
    throw new ClientError(
      Presets.INVALID_CONNECTION,
      `The connection URL's host ${target.host} is not on this plugin server's list of allowed tenant hosts.`,
      undefined,
      "Set the connection's url to a tenant this server serves, or ask its operator to add the host to the allowed tenant hosts.",
    );
  }

  /**
   * Envelope, step and connection: the part shared by actions, tests and triggers.
   * `mask` is the one the step's log writes through; it learns the secrets of the
   * connection the step runs on.
   */
  async prepare(message: unknown, options: ExecuteOptions, log: StepLog, mask: SecretMask): Promise<PreparedStep> {
    let parsed: StartMessage;
    try {
      parsed = parseStartMessage(message);
      this.checkStep(parsed, options);
    } catch (err) {
      throw this.withExample(err, options);
    }
    mask.add(connectionSecrets(parsed.connection));
    const connection = await this.connect(parsed.connection, log);
    return { message: parsed, connection, mask };
  }

  async execute(message: unknown, options: ExecuteOptions): Promise<ExecuteResult> {
    const started = process.hrtime.bigint();
    const mask = new SecretMask(messageSecrets(message));
    const meta = salvageMeta(message);
    let answerType: EventType =
      options.route !== undefined
        ? ROUTE_EVENT[options.route.kind]!
        : isObject(message) && typeof message.type === 'string' && Object.hasOwn(EVENT_TYPE, message.type)
          ? EVENT_TYPE[message.type as keyof typeof EVENT_TYPE]
          : 'action_event';
    // The name comes from the client and goes into every log line of the step: it may be
    // anything, the secret included, so it is masked and kept short.
    const rawName = isObject(message) && isObject(message.body) ? (message.body.action ?? message.body.trigger ?? 'connection') : 'unknown';
    // A name that is not a string is only described: it may be an object nested too deeply to serialise.
    const stepName = mask.text(typeof rawName === 'string' ? rawName.slice(0, 200) : `(${Array.isArray(rawName) ? 'an array' : rawName === null ? 'null' : typeof rawName})`).slice(0, 100);
    const log = new StepLog(mask, this.logger, stepFields(stepName, meta, mask));
    try {
      const { message: parsed, connection } = await this.prepare(message, options, log, mask);
      answerType = EVENT_TYPE[parsed.type];
      // A step nobody can stop still gets a signal of its own, so a plugin never has to check.
      const signal = options.signal ?? new AbortController().signal;
      signal.throwIfAborted();
      let output: JsonObject;
      if (options.mode === 'test' || !parsed.step) {
        output = await connection.test(log, signal);
      } else {
        output = await this.runAction(parsed, parsed.step.name, connection, log, signal);
      }
      this.logger?.info({ step: stepName, mode: options.mode, status: 'ok', ms: elapsedMs(started) }, 'step finished');
      return { status: 200, envelope: okEnvelope(answerType, mask.value(parsed.meta), log.text(), mask.value(output)) };
    } catch (err) {
      const { status, exception } = describeError(err);
      const masked = mask.exception(exception);
      const level = status === 500 ? 'error' : 'info';
      this.logger?.[level](
        { step: stepName, mode: options.mode, status: 'error', httpStatus: status, cause: masked.cause, ms: elapsedMs(started) },
        'step failed',
      );
      if (status === 500 && !(err instanceof OutputValidationError) && err instanceof Error && err.stack) {
        this.logger?.error({ step: stepName, stack: mask.text(err.stack) }, 'unexpected exception');
      }
      return { status, envelope: errorEnvelope(answerType, mask.value(meta), log.text(), masked) };
    }
  }

  /**
   * The step's validators, with its input checked: required inputs present and not blank,
   * blank optional inputs removed, the schema (defaults applied).
   */
  async checkInput(kind: StepKind, name: string, input: JsonObject, log: StepLogger): Promise<StepValidatorModule> {
    const validators = await this.validators.step(kind, name);
    const ignored = ignoredNamesWarning({ noun: 'input', owner: name }, input, validators.inputNames);
    if (ignored !== undefined) log.warn(ignored);
    const empty = findEmptyRequired(input, validators.requiredInputs);
    dropBlankOptional(input, validators.requiredInputs);
    if (empty !== undefined) {
      throw new ClientError(Presets.INVALID_INPUT, `The input is not valid: '${empty}' is required and must not be null or empty.`);
    }
    if (!validators.input(input)) {
      throw new ClientError(Presets.INVALID_INPUT, `The input is not valid: ${describeValidationErrors(validators.input.errors, input)}.`);
    }
    return validators;
  }

  private async runAction(message: StartMessage, name: string, connection: PluginConnection, log: StepLog, signal: AbortSignal): Promise<JsonObject> {
    const input = message.input;
    const validators = await this.checkInput('action', name, input, log);
    const handler = this.plugin.actions[name]!;
    const output = await handler.run(input, { connection, log, meta: message.meta, signal });
    if (!validators.output(output)) {
      throw new OutputValidationError(`The output of '${name}' does not match its schema: ${describeValidationErrors(validators.output.errors, output)}.`);
    }
    return output as JsonObject;
  }

  async close(): Promise<void> {
    await this.connections.clear();
  }
}

let stepCounter = 0;

/**
 * What every process log line of a step carries, so that concurrent steps can be told apart:
 * the step's name, an id of its own (unique within the process), and the orchestrator's job
 * id when the message's meta has one (masked and kept short, as it comes from the client).
 */
export function stepFields(stepName: string, meta: JsonObject, mask: SecretMask): Record<string, unknown> {
  stepCounter = (stepCounter + 1) % Number.MAX_SAFE_INTEGER;
  const fields: Record<string, unknown> = { step: stepName, stepId: `${process.pid.toString(36)}-${stepCounter.toString(36)}` };
  const job = meta.job ?? meta.job_id ?? meta.jobId;
  if (typeof job === 'string' || typeof job === 'number') fields.job = mask.text(String(job)).slice(0, 100);
  return fields;
}
