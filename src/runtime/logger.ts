/**
 * The process log: pino JSON lines on stderr (stdout carries only envelopes).
 * Redaction is configured once here, as a second line of defence behind the masking
 * the pipeline already applies.
 */
import { pino, type Logger } from 'pino';

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

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '********' },
      base: { pid: process.pid },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
