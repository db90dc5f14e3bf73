/**
 * `http`: serve the plugin until SIGTERM or SIGINT, then stop gracefully: stop accepting,
 * let in-flight steps finish (up to a deadline), close connections, exit 0. With `workers`
 * above 1, that many server processes share the port (node:cluster), supervised by this one.
 */
import cluster, { type Worker } from 'node:cluster';
import { setFlagsFromString } from 'node:v8';
import type { CliDefinition, CliIo } from './cli.js';
import { Runtime } from './execute.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import type { AllowedHosts } from './allowed-hosts.js';

export interface HttpCommandOptions {
  io: CliIo;
  logLevel: string;
  host: string;
  port: number;
  bodyLimit?: number;
  requestTimeoutSeconds?: number;
  connectionCacheSize?: number;
  /** Server processes sharing the port (default 1: this process serves). */
  workers?: number;
  /** Required as `Authorization: Bearer` on every route but the status route, when set. */
  apiToken?: string;
  /** The only tenant hosts connections may go to, when set. */
  allowedHosts?: AllowedHosts;
  /** Seconds steps in flight get to finish after SIGTERM/SIGINT (default 8). */
  shutdownGraceSeconds?: number;
}

/**
 * Seconds steps in flight get after SIGTERM: Docker kills a container 10 s after it, so the
 * steps still running are stopped and answered before that.
 */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 8;
/** After the grace period, how long the stopped steps get to send their answers before connections are cut. */
const ANSWER_AFTER_GRACE_MS = 1_500;

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
  if ((opts.workers ?? 1) > 1 && cluster.isPrimary) return superviseWorkers(def, opts, opts.workers!);
  limitHeapGrowth();
  const logger = createLogger({ level: opts.logLevel, name: def.manifest.info.name, sync: false });
  const plugin = await def.loadPlugin();
  const runtime = new Runtime(plugin, { logger, connectionCacheSize: opts.connectionCacheSize, ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts } : {}) });
  const graceSeconds = opts.shutdownGraceSeconds ?? DEFAULT_SHUTDOWN_GRACE_SECONDS;
  const shutdown = new AbortController();
  const server = await startServer(runtime, {
    logger,
    shutdown: shutdown.signal,
    ...(opts.apiToken !== undefined ? { apiToken: opts.apiToken } : {}),
    host: opts.host,
    port: opts.port,
    bodyLimit: opts.bodyLimit,
    requestTimeoutMs: opts.requestTimeoutSeconds === undefined ? undefined : opts.requestTimeoutSeconds * 1000,
  });
  const address = server.app.server.address();
  logger.info(
    { address, version: def.manifest.info.version, apiToken: opts.apiToken !== undefined ? 'required' : 'off', allowedHosts: opts.allowedHosts?.size ?? 'any' },
    'plugin server listening',
  );
  return new Promise<number>((resolve) => {
    let stopping = false;
    let deadline: NodeJS.Timeout | undefined;
    let cut: NodeJS.Timeout | undefined;
    const finish = (code: number) => {
      clearTimeout(deadline);
      clearTimeout(cut);
      process.off('SIGTERM', onSigterm);
      process.off('SIGINT', onSigint);
      // A worker's channel to its supervisor would keep it alive: closing it lets the process end.
      if (cluster.isWorker && process.connected) process.disconnect();
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
      logger.info({ signal, graceSeconds }, 'stopping: finishing in-flight steps');
      // At the end of the grace period the steps still running are stopped, and each answers
      // its caller with an error envelope; a step that still does not end is cut soon after.
      deadline = setTimeout(() => {
        logger.warn({ graceSeconds }, 'grace period over: stopping the steps still running');
        shutdown.abort();
        cut = setTimeout(() => {
          logger.warn('steps did not answer after being stopped: exiting');
          abandon(1);
        }, ANSWER_AFTER_GRACE_MS);
        cut.unref();
      }, graceSeconds * 1000);
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
    // A worker of `--workers` stops on the SIGTERM its supervisor passes on; Ctrl-C in a
    // terminal also reaches it directly, and would count as a second signal.
    const onSigint = cluster.isWorker ? () => undefined : () => stop('SIGINT');
    process.on('SIGTERM', onSigterm);
    process.on('SIGINT', onSigint);
  });
}

/** A worker that dies sooner than this after starting counts towards a crash loop. */
const EARLY_DEATH_MS = 10_000;
/** Early deaths in a row after which the supervisor gives up (exit 1) instead of restarting. */
const MAX_EARLY_DEATHS = 5;

/**
 * The supervising process of `http --workers N`: it starts N server processes (each the same
 * command, listening on the shared port), starts another when one dies, and on SIGTERM or SIGINT
 * passes the signal on and waits for every worker's graceful stop. Exit 0 when all stopped
 * cleanly; 1 when one did not, or when workers keep dying at start (a port in use, say).
 */
function superviseWorkers(def: CliDefinition, opts: HttpCommandOptions, count: number): Promise<number> {
  const logger = createLogger({ level: opts.logLevel, name: def.manifest.info.name });
  return new Promise<number>((resolve) => {
    const started = new Map<Worker, number>();
    let stopping = false;
    let code = 0;
    let earlyDeaths = 0;
    let listening = 0;
    const start = () => {
      const worker = cluster.fork();
      started.set(worker, Date.now());
      worker.once('listening', () => {
        listening++;
        if (listening === count) logger.info({ workers: count }, 'all workers listening');
      });
    };
    const stop = (signal: string) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: stopping the workers now');
        for (const worker of started.keys()) worker.process.kill('SIGKILL');
        return;
      }
      stopping = true;
      logger.info({ signal, workers: started.size }, 'stopping: passing the signal to the workers');
      for (const worker of started.keys()) worker.process.kill('SIGTERM');
      if (started.size === 0) finish();
    };
    const onSigterm = () => stop('SIGTERM');
    const onSigint = () => stop('SIGINT');
    const finish = () => {
      process.off('SIGTERM', onSigterm);
      process.off('SIGINT', onSigint);
      cluster.off('exit', onExit);
      logger.info({ code }, 'all workers stopped');
      resolve(code);
    };
    const onExit = (worker: Worker, exitCode: number | null, signal: string | null) => {
      const since = Date.now() - (started.get(worker) ?? 0);
      started.delete(worker);
      if (stopping) {
        if (exitCode !== 0) code = 1;
        if (started.size === 0) finish();
        return;
      }
      earlyDeaths = since < EARLY_DEATH_MS ? earlyDeaths + 1 : 0;
      if (earlyDeaths >= MAX_EARLY_DEATHS) {
        logger.error({ worker: worker.process.pid, code: exitCode, signal }, `workers keep dying at start (${earlyDeaths} in a row): stopping`);
        code = 1;
        stop('workers dying');
        return;
      }
      logger.error({ worker: worker.process.pid, code: exitCode, signal }, 'a worker died: starting another');
      start();
    };
    cluster.on('exit', onExit);
    process.on('SIGTERM', onSigterm);
    process.on('SIGINT', onSigint);
    for (let i = 0; i < count; i++) start();
  });
}
