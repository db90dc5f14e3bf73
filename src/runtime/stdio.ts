/**
 * `run` and `test` over stdin: one start message in, one event envelope out, the way an
 * orchestrator runs a step in a fresh container. stdout carries only the envelope.
 */
import type { CliDefinition, CliIo } from './cli.js';
import { errorEnvelope, type EventEnvelope } from './envelope.js';
import { ClientError, describeError, Presets, stepStopped } from './errors.js';
import { Runtime } from './execute.js';
import { createLogger } from './logger.js';

/** Largest start message read from stdin. */
const STDIN_LIMIT = 64 * 1024 * 1024;

export class StdinError extends Error {}

export async function readStdin(stdin: CliIo['stdin']): Promise<string> {
  if (stdin.isTTY) throw new StdinError('expects a start message on stdin; pipe one in (for example from the sample command)');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stdin) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buf.length;
      if (size > STDIN_LIMIT) throw new StdinError(`the message on stdin is larger than ${STDIN_LIMIT} bytes`);
      chunks.push(buf);
    }
  } catch (err) {
    if (err instanceof StdinError) throw err;
    throw new StdinError(`could not read stdin: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Where a JSON.parse failure happened, without quoting the text: V8's messages quote
 * the input around the error, and the input is a start message carrying the secret.
 */
function whereJsonBroke(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  if (message.startsWith('Unexpected end of JSON input')) return ' (it ends too early)';
  const position = /at position (\d+)/.exec(message)?.[1];
  return position === undefined ? '' : ` (at position ${position})`;
}

function isTriggerStart(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'trigger_start';
}

/** One envelope, one line on stdout, resolved once written. */
export function writeEnvelope(io: CliIo, envelope: EventEnvelope): Promise<void> {
  return new Promise((resolve) => io.stdout.write(JSON.stringify(envelope) + '\n', () => resolve()));
}

export async function runStdio(def: CliDefinition, command: 'run' | 'test', opts: { io: CliIo; logLevel: string; debug: boolean; text?: string }): Promise<number> {
  const { io } = opts;
  let text: string;
  try {
    // The message was read from a file (--message), or comes on stdin.
    text = opts.text ?? (await readStdin(io.stdin));
  } catch (err) {
    io.stderr.write(`${def.bin} ${command}: ${(err as Error).message}\n`);
    return 1;
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (err) {
    const problem =
      text.trim() === ''
        ? `${opts.text !== undefined ? 'the message file' : 'stdin'} was empty; send one start message as JSON.`
        : `${opts.text !== undefined ? 'the message file' : 'stdin'} is not valid JSON${whereJsonBroke(err)}; send one start message as JSON.`;
    const { exception } = describeError(new ClientError(Presets.INVALID_MESSAGE, problem));
    await writeEnvelope(io, errorEnvelope('action_event', {}, '', exception));
    return 1;
  }
  const logger = createLogger({ level: opts.logLevel, name: def.manifest.info.name });
  const plugin = await def.loadPlugin();
  const runtime = new Runtime(plugin, { logger });
  if (command === 'run' && isTriggerStart(message)) {
    const { runTrigger } = await import('./trigger.js');
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    try {
      return await runTrigger(runtime, message, { io, logger, debug: opts.debug, signal: stop.signal });
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  }
  const result = await untilStopped((signal) => runtime.execute(message, { mode: command, signal }));
  await writeEnvelope(io, result.envelope);
  await runtime.close();
  return result.envelope.body.status === 'ok' ? 0 : 1;
}

/**
 * Runs a step that SIGTERM or SIGINT stops: the step sends nothing more (a write on its way is
 * finished) and ends with an error envelope. A second signal ends the process at once, as
 * Node does by default.
 */
async function untilStopped<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stopped = new AbortController();
  const stop = (signal: NodeJS.Signals) => stopped.abort(stepStopped(`The plugin was stopped (${signal})`));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    return await run(stopped.signal);
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
