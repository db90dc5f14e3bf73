/**
 * `http`: serve the plugin until SIGTERM or SIGINT, then stop gracefully: stop accepting,
 * let in-flight steps finish (up to a deadline), close connections, exit 0.
 */
import { setFlagsFromString } from 'node:v8';
import type { CliDefinition, CliIo } from './cli.js';
import { Runtime } from './execute.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

export interface HttpCommandOptions {
  io: CliIo;
  logLevel: string;
  host: string;
  port: number;
  bodyLimit?: number;
  requestTimeoutSeconds?: number;
  connectionCacheSize?: number;
}

/** Longest wait for in-flight steps at shutdown. */
const SHUTDOWN_DEADLINE_MS = 30_000;

/**
 * How far past its live data V8 lets the heap grow before a full collection, in percent.
 * Left to itself V8 allows up to four times the live data, and a busy server whose live data
 * is about 15 MB sat near 120 MB resident; at 50% it stays near 100 MB, for a few percent
 * more CPU. V8 reads this at every collection, so it can be set once the process runs
 * (NODE_OPTIONS does not accept it). A `--heap-growing-percent` given to node is kept.
 */
const HEAP_GROWING_PERCENT = 50;

function limitHeapGrowth(): void {
  if (process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

export async function serveHttp(def: CliDefinition, opts: HttpCommandOptions): Promise<number> {
  limitHeapGrowth();
  const logger = createLogger({ level: opts.logLevel, name: def.manifest.info.name, sync: false });
  const plugin = await def.loadPlugin();
  const runtime = new Runtime(plugin, { logger, connectionCacheSize: opts.connectionCacheSize });
  const server = await startServer(runtime, {
    logger,
    host: opts.host,
    port: opts.port,
    bodyLimit: opts.bodyLimit,
    requestTimeoutMs: opts.requestTimeoutSeconds === undefined ? undefined : opts.requestTimeoutSeconds * 1000,
  });
  const address = server.app.server.address();
  logger.info({ address, version: def.manifest.info.version }, 'plugin server listening');
  return new Promise<number>((resolve) => {
    let stopping = false;
    let deadline: NodeJS.Timeout | undefined;
    const finish = (code: number) => {
      clearTimeout(deadline);
      process.off('SIGTERM', onSigterm);
      process.off('SIGINT', onSigint);
      resolve(code);
    };
    // Cut every connection, so nothing keeps the process alive after the exit code is set.
    const abandon = (code: number) => {
      server.app.server.closeAllConnections();
      finish(code);
    };
    const stop = (signal: string) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        abandon(1);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'stopping: finishing in-flight steps');
      deadline = setTimeout(() => {
        logger.warn('in-flight steps did not finish in time: exiting');
        abandon(1);
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      server.close().then(
        () => {
          logger.info('stopped');
          finish(0);
        },
        (err: unknown) => {
          logger.error({ err }, 'error while stopping');
          abandon(1);
        },
      );
    };
    const onSigterm = () => stop('SIGTERM');
    const onSigint = () => stop('SIGINT');
    process.on('SIGTERM', onSigterm);
    process.on('SIGINT', onSigint);
  });
}
