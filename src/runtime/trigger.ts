/**
 * A trigger started with `run` on a trigger_start message: the same envelope, step,
 * connection and input checks as an action, then the plugin's trigger runs until SIGTERM
 * or SIGINT, and every event it emits is validated, masked, wrapped in a trigger_event
 * envelope with the log lines since the previous event, and POSTed to the dispatcher
 * (retried until accepted) or, with --debug, written to stdout.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CliIo } from './cli.js';
import { errorEnvelope, salvageMeta, type EventEnvelope, type JsonObject } from './envelope.js';
import { ClientError, describeError, Presets } from './errors.js';
import { messageSecrets, type Runtime } from './execute.js';
import { SecretMask } from './mask.js';
import type { TriggerState } from './plugin.js';
import { openStateFile, StateFileError, type StateFile } from './trigger-state.js';
import { writeEnvelope } from './stdio.js';
import { StepLog, type ProcessLogger, type StepLogger } from './step-log.js';
import { describeValidationErrors } from './validate.js';

/** Where a trigger keeps its checkpoint across restarts, when set. */
export const STATE_FILE_ENV = 'TRIGGER_STATE_FILE';

export interface TriggerRunOptions {
  io: CliIo;
  logger: ProcessLogger;
  debug: boolean;
  /** Aborting it stops the trigger (the command line aborts on SIGTERM and SIGINT). */
  signal: AbortSignal;
  /** Delivery retry delays; shortened by tests. */
  retry?: { firstDelayMs: number; maxDelayMs: number };
}

/** State kept only for the life of the process (no state file configured). */
export function memoryState(): TriggerState & { release(): void } {
  let saved: Record<string, unknown> | undefined;
  return {
    async load() {
      return saved;
    },
    async save(state) {
      saved = { ...state };
    },
    release() {},
  };
}

/** The step log the trigger writes to; each emitted event takes the lines logged since the last one. */
class EventLog implements StepLogger {
  private current: StepLog;
  constructor(
    private readonly make: () => StepLog,
    first: StepLog,
  ) {
    this.current = first;
  }
  get debugEnabled(): boolean {
    return this.current.debugEnabled;
  }
  take(): string {
    const text = this.current.text();
    this.current = this.make();
    return text;
  }
  debug(message: string): void {
    this.current.debug(message);
  }
  info(message: string): void {
    this.current.info(message);
  }
  warn(message: string): void {
    this.current.warn(message);
  }
  error(message: string): void {
    this.current.error(message);
  }
}

/** POSTs one event until the dispatcher accepts it (2xx) or the trigger is stopped. */
async function deliver(url: string, envelope: EventEnvelope, log: StepLogger, options: TriggerRunOptions): Promise<void> {
  const retry = options.retry ?? { firstDelayMs: 500, maxDelayMs: 30_000 };
  const body = JSON.stringify(envelope);
  for (let attempt = 0; ; attempt++) {
    let problem: string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        // Not cut by a stop: an event on its way is delivered (or times out), so it is
        // never both accepted and left behind the checkpoint.
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return;
      problem = `the dispatcher answered ${response.status}`;
    } catch (err) {
      problem = `the dispatcher could not be reached (${(err as Error).message})`;
    } finally {
      // fetch records each request on the process's performance timeline (up to 250 entries
      // kept); nothing reads them in a trigger's process, which runs for months.
      performance.clearResourceTimings();
    }
    if (options.signal.aborted) throw new Error('stopped before the event was delivered');
    const delay = Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** Math.min(attempt, 16));
    log.warn(`Delivering the event failed: ${problem}. Trying again in ${delay} ms.`);
    await sleep(delay, undefined, { signal: options.signal });
  }
}

/** Runs a trigger until stopped; resolves to the process exit code. */
export async function runTrigger(runtime: Runtime, message: unknown, options: TriggerRunOptions): Promise<number> {
  const { io, logger } = options;
  const mask = new SecretMask(messageSecrets(message));
  // A trigger's stderr is JSON lines: Node's own warnings (printed as plain text by its default
  // listener) become log lines instead.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn({ warning: warning.name, code: (warning as { code?: string }).code }, mask.text(warning.message)));
  const stepName = (() => {
    const body = (message as { body?: { trigger?: unknown } } | null)?.body;
    return mask.text(typeof body?.trigger === 'string' ? body.trigger : 'trigger').slice(0, 100);
  })();
  const makeLog = () => new StepLog(mask, logger, { step: stepName, trigger: true });
  const setupLog = makeLog();
  let prepared;
  let validators;
  let state: StateFile | ReturnType<typeof memoryState>;
  const statePath = io.env[STATE_FILE_ENV];
  try {
    prepared = await runtime.prepare(message, { mode: 'trigger' }, setupLog, mask);
    const name = prepared.message.step!.name;
    validators = await runtime.checkInput('trigger', name, prepared.message.input, setupLog);
    runtime.plugin.triggers[name]!.checkInput?.(prepared.message.input as never);
    if (!options.debug && !prepared.message.dispatcher?.url) {
      throw new ClientError(Presets.INVALID_MESSAGE, "A trigger_start message needs 'body.dispatcher.url', where events are sent (or run with --debug to print them).");
    }
    // Last, once nothing else can refuse the start: a state file that cannot keep the trigger's
    // place refuses it before any event is delivered, and holds the file's lock until it stops.
    state = statePath ? openState(statePath, name) : memoryState();
  } catch (err) {
    const { exception } = describeError(err);
    const masked = mask.exception(exception);
    await writeEnvelope(io, errorEnvelope('trigger_event', mask.value(salvageMeta(message)), setupLog.text(), masked));
    return 1;
  }
  const { message: parsed, connection } = prepared;
  const name = parsed.step!.name;
  // The first event carries what was logged while starting (the connection, say).
  const eventLog = new EventLog(makeLog, setupLog);
  eventLog.info(`Trigger ${name} started.`);
  let emitted = 0;
  const emitter = {
    async emit(output: unknown): Promise<void> {
      if (!validators.output(output)) {
        // A plugin bug: the event is not passed on, and the trigger goes on.
        eventLog.error(`An event of ${name} did not match its schema and was not sent: ${describeValidationErrors(validators.output.errors, output)}.`);
        return;
      }
      const envelope: EventEnvelope = {
        version: 'v1',
        type: 'trigger_event',
        body: { status: 'ok', meta: mask.value(parsed.meta), log: eventLog.take(), output: mask.value(output as JsonObject) },
      };
      if (options.debug) await writeEnvelope(io, envelope);
      else await deliver(parsed.dispatcher!.url, envelope, eventLog, options);
      emitted++;
    },
  };
  logger.info({ step: stepName, dispatcher: options.debug ? 'stdout' : 'http', stateFile: statePath ?? null }, 'trigger started');
  try {
    await runtime.plugin.triggers[name]!.run(parsed.input, { connection, log: eventLog, meta: parsed.meta, emitter, signal: options.signal, state });
  } catch (err) {
    if (!options.signal.aborted) {
      logger.error({ step: stepName, error: mask.text((err as Error).message) }, 'trigger stopped by an error');
      state.release();
      await runtime.close();
      return 1;
    }
  }
  logger.info({ step: stepName, events: emitted }, 'trigger stopped');
  state.release();
  await runtime.close();
  return 0;
}

/** The state file, or a start error that names the path, the reason and the fix. */
function openState(path: string, name: string): StateFile {
  try {
    return openStateFile(path, name);
  } catch (err) {
    if (!(err instanceof StateFileError)) throw err;
    throw new ClientError(Presets.INVALID_SETTING, err.message, undefined, 'Fix TRIGGER_STATE_FILE as the error says, then start the trigger again.');
  }
}
