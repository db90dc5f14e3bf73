/**
 * The process log: pino JSON lines on stderr (stdout carries only envelopes).
 * Redaction is configured once here, as a second line of defence behind the masking
 * the pipeline already applies: on every line's fields and on a child logger's bindings.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactSecrets } from './log-redaction.js';

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
  const logger = pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      formatters: { log: redactSecrets, bindings: redactSecrets },
      base: { pid: process.pid },
    },
    options.destination ?? pino.destination({ dest: 2, sync: options.sync ?? true }),
  );
  // pino applies the bindings formatter to the root's fields only, not to a child's: the
  // bindings given to child() are redacted here (children inherit this method).
  const makeChild = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return makeChild.call(this, redactSecrets(bindings), childOptions);
  } as Logger['child'];
  return logger;
}
