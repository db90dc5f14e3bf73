/**
 * The process log: pino JSON lines on stderr (stdout carries only envelopes).
 * Redaction is configured once here, as a second line of defence behind the masking
 * the pipeline already applies.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

/** `name`, `*.name`, `*.*.name`, ... down to `depth` levels: pino has no recursive wildcard. */
function atAnyDepth(name: string, depth = 4): string[] {
  return Array.from({ length: depth + 1 }, (_, i) => [...Array<string>(i).fill('*'), name].join('.'));
}

export const REDACTED_PATHS = [
  ...['authorization', 'Authorization'].flatMap((header) => [header, ...atAnyDepth(`headers.${header}`, 3)]),
  ...atAnyDepth('secretKey'),
  ...atAnyDepth('credentials'),
];

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where the JSON lines go (default: stderr). */
  destination?: DestinationStream;
  /**
   * Write stderr synchronously (default). The server passes false: lines logged while a write
   * is under way are written together with the next one, instead of one system call per line
   * (about a sixth of the server's CPU per action at info level). pino writes what is left
   * before the process exits, however it exits.
   */
  sync?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '********' },
      base: { pid: process.pid },
    },
    options.destination ?? pino.destination({ dest: 2, sync: options.sync ?? true }),
  );
}
