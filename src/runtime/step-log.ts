/**
 * The log of one step: what the step logs is returned to the orchestrator in `body.log`
 * and also written to the process log. Secrets are masked before a line is stored.
 */
import { oneLine } from './envelope.js';
import type { SecretMask } from './mask.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What a step sees: a small logger. */
export interface StepLogger {
  /** True when debug lines are kept; a caller may skip building one otherwise. */
  readonly debugEnabled?: boolean;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The process logger (pino or anything with its shape). */
export interface ProcessLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  isLevelEnabled?(level: string): boolean;
}

const MAX_BYTES = 256 * 1024;

export class StepLog implements StepLogger {
  private readonly lines: string[] = [];
  private bytes = 0;
  private truncated = false;
  /** The fields every process log line of this step carries, built once. */
  private readonly fields: Record<string, unknown>;

  constructor(
    private readonly mask: SecretMask,
    private readonly sink: ProcessLogger | undefined,
    context: Record<string, unknown>,
  ) {
    this.fields = { ...context, stepLog: true };
    this.debugEnabled = sink !== undefined && (sink.isLevelEnabled?.('debug') ?? true);
  }

  readonly debugEnabled: boolean;

  private write(level: LogLevel, message: string): void {
    // One message is one line of body.log, whatever text (from ISM, say) it quotes.
    const enabled = level === 'debug' ? this.debugEnabled : this.sink !== undefined && (this.sink.isLevelEnabled?.(level) ?? true);
    // Debug lines (each ISM request, say) are for an operator who asked for them: they reach
    // the step's log, and the orchestrator, only when the process logs at debug level.
    if (level === 'debug' && !enabled) return;
    const text = oneLine(this.mask.text(message));
    if (enabled) this.sink![level](this.fields, text);
    if (this.truncated) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase()} ${text}\n`;
    if (this.bytes + line.length > MAX_BYTES) {
      this.truncated = true;
      this.lines.push('... (log truncated)\n');
      return;
    }
    this.bytes += line.length;
    this.lines.push(line);
  }

  debug(message: string): void {
    this.write('debug', message);
  }
  info(message: string): void {
    this.write('info', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  error(message: string): void {
    this.write('error', message);
  }

  text(): string {
    return this.lines.join('');
  }
}
