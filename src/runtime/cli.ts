/**
 * The plugin's command line: run, test, http, info, sample. Each command loads only
 * what it needs: `info` reads the generated manifest, `run` never loads the HTTP server.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AnyPlugin, PluginManifest } from './plugin.js';
import { errorEnvelope } from './envelope.js';
import { ClientError, describeError, Presets } from './errors.js';
import { protectionsFrom, type Protections } from './protection-settings.js';
import { didYouMean } from './suggest.js';

export interface CliDefinition {
  bin: string;
  manifest: PluginManifest;
  specFile: string;
  loadPlugin(): Promise<AnyPlugin>;
}

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/**
 * The process's streams, each made when first used: making one loads Node's stream (and, for a
 * pipe, net) modules, and `info` or `--version` never reads stdin.
 */
const defaultIo = (): CliIo => ({
  get stdin() {
    return process.stdin;
  },
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  env: process.env,
});

function usage(def: CliDefinition): string {
  return `Usage: ${def.bin} [--debug] <command> [options]

Commands:
  run [--message FILE]      read one start message on stdin (or from FILE, or the file
                            PLUGIN_MESSAGE_FILE names), write the event envelope on stdout
                            (exit 0 when the step succeeded, 1 when it failed)
  test                      the same, through the connection test
  http [--port N] [--host H] [--body-limit BYTES] [--request-timeout SECONDS] [--workers N]
       [--api-token-file PATH] [--allowed-hosts HOST,...] [--shutdown-grace SECONDS]
                            serve the plugin over HTTP (default 0.0.0.0:10001), in N processes
                            sharing the port (default 1). Opt-in protections, off by default:
                            an API token (--api-token-file, PLUGIN_API_TOKEN_FILE or
                            PLUGIN_API_TOKEN) then required as Authorization: Bearer <token> on
                            every route but GET /api/v1/status; and the tenant hosts connections
                            may go to (--allowed-hosts, PLUGIN_ALLOWED_HOSTS: names, *.domain,
                            optional :port), any other refused before a request is made.
                            On SIGTERM or SIGINT, steps in flight get --shutdown-grace seconds
                            (PLUGIN_SHUTDOWN_GRACE, 0 to 600, default 8) to finish; the ones
                            still running are then stopped and answered with an error envelope
  info                      describe the plugin and list its actions and triggers
  sample <step>             print a start message for an action or trigger, filled from the spec

Options:
  --debug                   log at debug level (for a trigger, write events to stdout)
  --help                    show this help
  --version                 show the plugin version

Environment: PLUGIN_HOST, PLUGIN_PORT, PLUGIN_BODY_LIMIT, PLUGIN_REQUEST_TIMEOUT (seconds),
PLUGIN_WORKERS, PLUGIN_SHUTDOWN_GRACE, PLUGIN_MESSAGE_FILE, PLUGIN_CONNECTION_CACHE_SIZE, PLUGIN_API_TOKEN, PLUGIN_API_TOKEN_FILE,
PLUGIN_ALLOWED_HOSTS, LOG_LEVEL (trace, debug, info, warn, error, fatal or silent;
default info). A bad setting is a usage error (exit 2); run and test then also write one error
envelope on stdout.
`;
}

class UsageError extends Error {}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function logLevelOf(value: string | undefined): string {
  if (value === undefined || value === '') return 'info';
  if (!LOG_LEVELS.includes(value)) throw new UsageError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not '${value.slice(0, 40)}'`);
  return value;
}

/**
 * A usage error: the message and the usage on stderr, exit 2. `run` and `test` also write one
 * error envelope on stdout, since an orchestrator reads the step's result there and nowhere else.
 */
function usageFailure(def: CliDefinition, io: CliIo, message: string, command: string | undefined): number {
  io.stderr.write(`${def.bin}: ${message}\n\n${usage(def)}`);
  if (command === 'run' || command === 'test') {
    const { exception } = describeError(new ClientError(Presets.INVALID_SETTING, `The plugin's command line is not valid: ${message}.`));
    io.stdout.write(JSON.stringify(errorEnvelope('action_event', {}, '', exception)) + '\n');
  }
  return 2;
}

function positiveInt(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${what} must be a positive integer, not '${value}'`);
  return Number(value);
}

/** Seconds of shutdown grace: a whole number from 0 to 600. */
function graceSeconds(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 600) throw new UsageError(`${what} must be a whole number of seconds from 0 to 600, not '${value}'`);
  return Number(value);
}

/**
 * The start message from a file (--message, or the file PLUGIN_MESSAGE_FILE names) instead of
 * stdin, so that a detached container can take it from a mounted secret.
 */
function readMessageFile(option: string | undefined, env: string | undefined): string | undefined {
  const [path, what] = option !== undefined ? [option, '--message'] : [env, 'PLUGIN_MESSAGE_FILE'];
  if (path === undefined || path === '') return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${what}: cannot read the start message file ${path} (${code}); check the path and that the file is mounted and readable, or send the message on stdin`);
  }
}

function port(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`${what} must be a port number (0-65535), not '${value}'`);
  return Number(value);
}

/** More server processes than this is a mistake, not a deployment. */
const MAX_WORKERS = 64;

function workerCount(n: number | undefined): number | undefined {
  if (n !== undefined && n > MAX_WORKERS) throw new UsageError(`--workers (PLUGIN_WORKERS) must be at most ${MAX_WORKERS}, not ${n}`);
  return n;
}

/** Runs the command line; resolves to the exit code (the http command resolves when stopped). */
export async function runCli(def: CliDefinition, argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'body-limit': { type: 'string' },
        'request-timeout': { type: 'string' },
        workers: { type: 'string' },
        'api-token-file': { type: 'string' },
        'allowed-hosts': { type: 'string' },
        'shutdown-grace': { type: 'string' },
        message: { type: 'string', short: 'm' },
      },
    });
  } catch (err) {
    // The command is not known for sure here: the first word that is not an option is taken for it.
    return usageFailure(def, io, (err as Error).message, argv.find((arg) => !arg.startsWith('-')));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(usage(def));
    return 0;
  }
  if (values.version) {
    io.stdout.write(`${def.manifest.info.name} ${def.manifest.info.version}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  try {
    const logLevel = values.debug ? 'debug' : logLevelOf(io.env.LOG_LEVEL);
    switch (command) {
      case 'run':
      case 'test': {
        if (rest.length > 0) throw new UsageError(`'${command}' takes no arguments (got '${rest.join(' ')}')`);
        const text = readMessageFile(values.message, io.env.PLUGIN_MESSAGE_FILE);
        const { runStdio } = await import('./stdio.js');
        return await runStdio(def, command, { io, logLevel, debug: values.debug, ...(text !== undefined ? { text } : {}) });
      }
      case 'http': {
        if (rest.length > 0) throw new UsageError(`'http' takes no arguments (got '${rest.join(' ')}')`);
        let protections: Protections;
        try {
          protections = protectionsFrom({ apiTokenFile: values['api-token-file'], allowedHosts: values['allowed-hosts'] }, io.env);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        const { serveHttp } = await import('./http-command.js');
        return await serveHttp(def, {
          io,
          logLevel,
          ...protections,
          host: values.host ?? io.env.PLUGIN_HOST ?? '0.0.0.0',
          port: port(values.port, '--port') ?? port(io.env.PLUGIN_PORT, 'PLUGIN_PORT') ?? 10001,
          bodyLimit: positiveInt(values['body-limit'], '--body-limit') ?? positiveInt(io.env.PLUGIN_BODY_LIMIT, 'PLUGIN_BODY_LIMIT'),
          requestTimeoutSeconds:
            positiveInt(values['request-timeout'], '--request-timeout') ?? positiveInt(io.env.PLUGIN_REQUEST_TIMEOUT, 'PLUGIN_REQUEST_TIMEOUT'),
          connectionCacheSize: positiveInt(io.env.PLUGIN_CONNECTION_CACHE_SIZE, 'PLUGIN_CONNECTION_CACHE_SIZE'),
          workers: workerCount(positiveInt(values.workers, '--workers') ?? positiveInt(io.env.PLUGIN_WORKERS, 'PLUGIN_WORKERS')),
          shutdownGraceSeconds:
            graceSeconds(values['shutdown-grace'], '--shutdown-grace') ?? graceSeconds(io.env.PLUGIN_SHUTDOWN_GRACE, 'PLUGIN_SHUTDOWN_GRACE'),
        });
      }
      case 'info':
        io.stdout.write(describePlugin(def.manifest));
        return 0;
      case 'sample': {
        const [stepName, ...extra] = rest;
        if (!stepName) throw new UsageError('sample needs the name of an action or trigger');
        if (extra.length > 0) throw new UsageError(`'sample' takes one step name (got '${rest.join(' ')}')`);
        const { loadSpecFile } = await import('../spec/load.js');
        const { sampleMessage } = await import('../spec/sample.js');
        const message = sampleMessage(loadSpecFile(def.specFile), stepName);
        if (!message) {
          const steps = [...def.manifest.actions, ...def.manifest.triggers].map((s) => s.name);
          throw new UsageError(`unknown step '${stepName}'${didYouMean(stepName, steps)} Steps: ${steps.join(', ')}`);
        }
        io.stdout.write(JSON.stringify(message, null, 2) + '\n');
        return 0;
      }
      case undefined:
        throw new UsageError('no command given');
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(def, io, err.message, command);
    throw err;
  }
}

export function describePlugin(manifest: PluginManifest): string {
  const { info } = manifest;
  const steps = (list: PluginManifest['actions']) => {
    if (list.length === 0) return '  (none)\n';
    const width = Math.max(...list.map((s) => s.name.length));
    return list.map((s) => `  ${s.name.padEnd(width)}  ${s.title}: ${s.description}\n`).join('');
  };
  return (
    `${info.title} (${info.name}) ${info.version}\n` +
    `Vendor:      ${info.vendor}\n` +
    `Description: ${info.description}\n\n` +
    `Actions:\n${steps(manifest.actions)}\n` +
    `Triggers:\n${steps(manifest.triggers)}`
  );
}
