/**
 * The process log: pino JSON lines on stderr (stdout carries only envelopes).
 * Redaction is configured once here, as a second line of defence behind the masking
 * the pipeline already applies.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'secretKey',
  '*.secretKey',
  '*.*.secretKey',
  'credentials',
  '*.credentials',
  'connection.credentials',
  '*.connection.credentials',
];

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where the JSON lines go (default: stderr, written synchronously). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '********' },
      base: { pid: process.pid },
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
