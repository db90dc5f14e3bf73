/**
 * Every error a step can end with, defined in one place. A preset gives the cause and
 * the assistance, so every action words the same failure the same way; `data` carries
 * what the remote side said.
 */

export interface ErrorPreset {
  readonly code: string;
  readonly cause: string;
  readonly assistance: string;
}

function preset(code: string, cause: string, assistance: string): ErrorPreset {
  return Object.freeze({ code, cause, assistance });
}

export const Presets = Object.freeze({
  INVALID_API_KEY: preset(
    'invalid_api_key',
    'The API key was rejected.',
    'Check the API key in the connection: it may be mistyped, revoked, or belong to another tenant.',
  ),
  UNAUTHORIZED: preset(
    'unauthorized',
    'The API key is not permitted to do this.',
    "Give the API key's role the rights this step needs, or use a key with a role that has them.",
  ),
  NOT_FOUND: preset('not_found', 'The requested resource was not found.', 'Check that the identifier and the connection URL are correct.'),
  RATE_LIMIT: preset(
    'rate_limit',
    'The service is rate limiting requests.',
    'Wait a moment and run the step again, or lower how often the workflow calls it.',
  ),
  SERVER_ERROR: preset(
    'server_error',
    'The service failed to process the request.',
    'Run the step again later; if it keeps failing, check the service and its logs.',
  ),
  SERVICE_UNAVAILABLE: preset(
    'service_unavailable',
    'The service is unavailable.',
    'Run the step again later; the service or a gateway in front of it is down or overloaded.',
  ),
  TIMEOUT: preset(
    'timeout',
    'The service did not answer in time.',
    'Run the step again later, or raise the timeout in the connection if the service is slow.',
  ),
  CONNECTION_ERROR: preset(
    'connection_error',
    'Could not connect to the service.',
    'Check the connection URL, the network path from the orchestrator to the service, and the certificate settings.',
  ),
  BAD_REQUEST: preset('bad_request', 'The service rejected the request.', "Check the step's input against what the service accepts."),
  INVALID_JSON: preset(
    'invalid_json',
    'The service answered with something that is not valid JSON.',
    'Check that the connection URL points at the service API and not at a web page or proxy.',
  ),
  UNKNOWN: preset('unknown', 'Something unexpected went wrong.', 'Run the step again; if it keeps failing, report it with the log of the step.'),
  STOPPED: preset(
    'stopped',
    'The step was stopped before it finished.',
    'Nothing was sent to the service after the stop; a write already on its way was completed, and the log says how it ended. Check the service before running the step again.',
  ),
  // Runtime-level failures (the request to the plugin itself was wrong).
  INVALID_MESSAGE: preset('invalid_message', 'The start message is not valid.', 'Send a message of the form {"version":"v1","type":"action_start","body":{...}}.'),
  INVALID_SETTING: preset('invalid_setting', "A setting of the plugin's process is not valid.", 'Fix the setting named in the error; --help lists the settings and their environment variables.'),
  INVALID_CONNECTION: preset('invalid_connection', 'The connection is not valid.', 'Fix the connection settings named in the error.'),
  INVALID_INPUT: preset('invalid_input', 'The input is not valid.', "Fix the step's input named in the error."),
  INVALID_OUTPUT: preset(
    'invalid_output',
    'The step produced output that does not match its schema.',
    'This is a bug in the plugin; report it with the log of the step.',
  ),
});

export type PresetName = keyof typeof Presets;

export interface PluginErrorOptions {
  /** Replaces the preset's cause with a more specific one. */
  cause?: string;
  /** Replaces the preset's assistance. */
  assistance?: string;
  /** What the remote side said; never a secret. */
  data?: unknown;
}

/** A failure with a known reason: answered with status 400 (or 500 for invalid output). */
export class PluginError extends Error {
  readonly preset: ErrorPreset;
  readonly assistance: string;
  readonly data: unknown;
  readonly reason: string;

  constructor(preset: ErrorPreset, options: PluginErrorOptions = {}) {
    const reason = options.cause ?? preset.cause;
    const assistance = options.assistance ?? preset.assistance;
    super(`${reason} ${assistance}`);
    this.name = 'PluginError';
    this.preset = preset;
    this.reason = reason;
    this.assistance = assistance;
    this.data = options.data;
  }
}

/** The request to the plugin was at fault (bad envelope, unknown step, invalid input). */
export class ClientError extends PluginError {
  constructor(preset: ErrorPreset, cause: string, data?: unknown, assistance?: string) {
    super(preset, { cause, data, ...(assistance === undefined ? {} : { assistance }) });
    this.name = 'ClientError';
  }
}

/** Why a step was stopped (`the caller closed the connection`), as the reason its signal aborts with. */
export function stepStopped(why: string): PluginError {
  return new PluginError(Presets.STOPPED, { cause: `${why} before the step finished.` });
}

/** A step's output did not match its schema: a server error, never passed on. */
export class OutputValidationError extends PluginError {
  constructor(cause: string, data?: unknown) {
    super(Presets.INVALID_OUTPUT, { cause, data });
    this.name = 'OutputValidationError';
  }
}

export interface ExceptionBody {
  cause: string;
  assistance: string;
  data: string;
}

function dataToString(data: unknown): string {
  if (data === undefined || data === null) return '';
  if (typeof data === 'string') return data;
  try {
    return JSON.stringify(data);
  } catch {
    return String(data);
  }
}

/** Classifies any thrown value into an HTTP status and the envelope's exception. */
export function describeError(err: unknown): { status: 400 | 500; exception: ExceptionBody } {
  if (err instanceof OutputValidationError) {
    return { status: 500, exception: { cause: err.reason, assistance: err.assistance, data: dataToString(err.data) } };
  }
  if (err instanceof PluginError) {
    return { status: 400, exception: { cause: err.reason, assistance: err.assistance, data: dataToString(err.data) } };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    status: 500,
    exception: { cause: Presets.UNKNOWN.cause, assistance: Presets.UNKNOWN.assistance, data: message },
  };
}
