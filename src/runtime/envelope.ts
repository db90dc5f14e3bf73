/**
 * The message envelope, the same on stdin and in an HTTP body. Parsing turns any
 * malformed message into a ClientError that says exactly what is wrong.
 */
import { ClientError, Presets, type ExceptionBody } from './errors.js';

export type StartType = 'action_start' | 'trigger_start' | 'connection_test';
export type EventType = 'action_event' | 'trigger_event' | 'connection_test';

export const EVENT_TYPE: Readonly<Record<StartType, EventType>> = {
  action_start: 'action_event',
  trigger_start: 'trigger_event',
  connection_test: 'connection_test',
};

export type JsonObject = Record<string, unknown>;

export interface Dispatcher {
  url: string;
  webhook_url?: string;
}

export interface StartMessage {
  type: StartType;
  /** The action or trigger named in the body; undefined for connection_test. */
  step?: { kind: 'action' | 'trigger'; name: string };
  meta: JsonObject;
  connection: JsonObject;
  input: JsonObject;
  dispatcher?: Dispatcher;
}

export interface EventBody {
  status: 'ok' | 'error';
  meta: JsonObject;
  log: string;
  output?: JsonObject;
  error?: string;
  exception?: ExceptionBody;
}

export interface EventEnvelope {
  version: 'v1';
  type: EventType;
  body: EventBody;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

function invalid(cause: string): ClientError {
  return new ClientError(Presets.INVALID_MESSAGE, cause);
}

/**
 * Deepest nesting a message may have. Real messages are a few levels deep; a message nested
 * thousands of levels deep parses, but would overflow the stack of everything that walks it
 * afterwards (hashing the connection, masking, serialising the answer).
 */
export const MAX_DEPTH = 64;

/** `body.input.items[2].name`, cut short for messages. */
function showPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  if (out === '') return 'the top level';
  return out.length > 120 ? `${out.slice(0, 117)}...` : out;
}

/**
 * A value as errors about it name it: an input or a connection setting by its own name, as
 * the schema errors do (`The input is not valid: 'summary'`), anything else by its path.
 */
function fieldNamed(path: readonly (string | number)[]): string {
  const [top, member, ...rest] = path;
  if (top === 'body' && rest.length > 0 && (member === 'input' || member === 'connection')) return `The ${member} is not valid: '${showPath(rest)}'`;
  return `'${showPath(path)}'`;
}

/** What is wrong with a message, and where (the path of the value at fault). */
export interface MessageProblem {
  cause: string;
  path: readonly (string | number)[];
}

/**
 * What JSON text can hold but no message may: nesting deeper than MAX_DEPTH, keys that
 * can rewrite a prototype when code copies the object (`__proto__`, `constructor.prototype`),
 * numbers too large for a double (`1e309` parses as Infinity), and text that is not
 * well-formed Unicode (`"\ud800"`: half of a surrogate pair, which no encoding can carry to
 * the remote side, and on which encodeURIComponent throws). Every string of the message, keys
 * included, is checked here and nowhere else. Found in one pass without recursion, so a
 * message of any depth is inspected safely. `base` names where `value` sits.
 */
export function findMessageProblem(value: unknown, base: readonly (string | number)[] = []): MessageProblem | undefined {
  // Each entry names its parent and its own key; a path is spelled out only for a problem,
  // so a message without one allocates nothing per value beyond the stack entry.
  const stack: Visit[] = [{ value, parent: undefined, key: undefined, depth: 0 }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const node = visit.value;
    if (typeof node === 'number' && !Number.isFinite(node)) {
      const path = pathOf(visit, base);
      return { path, cause: `The number at ${showPath(path)} is out of range: it is too large to be represented (it would be read as ${node}).` };
    }
    // A message that is itself a string is refused below as not being an object.
    if (typeof node === 'string' && (visit.depth > 0 || base.length > 0) && !node.isWellFormed()) {
      const path = pathOf(visit, base);
      return { path, cause: `${fieldNamed(path)} is not well-formed Unicode: it holds half of a UTF-16 surrogate pair (a lone surrogate such as \\ud800); send it as valid text.` };
    }
    if (typeof node !== 'object' || node === null) continue;
    if (visit.depth >= MAX_DEPTH) {
      const path = pathOf(visit, base);
      return { path, cause: `The message is nested too deeply (more than ${MAX_DEPTH} levels, at ${showPath(path)}); send at most ${MAX_DEPTH} levels.` };
    }
    const depth = visit.depth + 1;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) stack.push({ value: node[i], parent: visit, key: i, depth });
      continue;
    }
    for (const key of Object.keys(node)) {
      const child = (node as JsonObject)[key];
      if (!key.isWellFormed()) {
        const path = pathOf(visit, base);
        return { path, cause: `A key in ${showPath(path)} is not well-formed Unicode: it holds half of a UTF-16 surrogate pair; send it as valid text.` };
      }
      if (key === '__proto__') {
        const path = pathOf(visit, base);
        return { path, cause: `The message contains the key '__proto__' (at ${showPath(path)}); keys that can change object prototypes are refused: remove it.` };
      }
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
        const path = pathOf(visit, base);
        return { path, cause: `The message contains the keys 'constructor.prototype' (at ${showPath(path)}); keys that can change object prototypes are refused: remove them.` };
      }
      stack.push({ value: child, parent: visit, key, depth });
    }
  }
  return undefined;
}

/** A value being inspected, where it sits (its parent and its key there) and how deep. */
interface Visit {
  value: unknown;
  parent: Visit | undefined;
  key: string | number | undefined;
  depth: number;
}

/** The path of a visited value, from the top of the message. */
function pathOf(visit: Visit, base: readonly (string | number)[]): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.push(at.key);
  return [...base, ...keys.reverse()];
}

/** The preset of a problem: a bad connection or input is named as such, anything else is the message's. */
function problemError(problem: MessageProblem): ClientError {
  const [top, member] = problem.path;
  const preset = top !== 'body' ? Presets.INVALID_MESSAGE : member === 'connection' ? Presets.INVALID_CONNECTION : member === 'input' ? Presets.INVALID_INPUT : Presets.INVALID_MESSAGE;
  return new ClientError(preset, problem.cause);
}

/** A value from the message as an error quotes it: JSON, cut short (it may be 200 KB long). */
function shownValue(value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

/** An optional object member of the body: missing or null count as {}. */
function objectMember(body: JsonObject, key: string): JsonObject {
  const value = body[key];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid(`'body.${key}' must be an object, not ${kindOf(value)}.`);
  return value;
}

function stepName(body: JsonObject, key: 'action' | 'trigger', type: StartType): string {
  const value = body[key];
  if (value === undefined) throw invalid(`A ${type} message needs 'body.${key}', the name of the ${key} to run.`);
  if (typeof value !== 'string') throw invalid(`'body.${key}' must be a string, not ${kindOf(value)}.`);
  if (value.trim() === '') throw invalid(`'body.${key}' must not be empty.`);
  return value;
}

export function parseStartMessage(message: unknown): StartMessage {
  const problem = findMessageProblem(message);
  if (problem !== undefined) throw problemError(problem);
  if (!isObject(message)) throw invalid(`The message must be a JSON object, not ${kindOf(message)}.`);
  if (message.version === undefined) throw invalid("The message has no 'version'; it must be \"v1\".");
  if (message.version !== 'v1') throw invalid(`Unsupported message version ${shownValue(message.version)}; it must be "v1".`);
  const type = message.type;
  if (type === undefined) throw invalid("The message has no 'type'; use action_start, trigger_start or connection_test.");
  if (type !== 'action_start' && type !== 'trigger_start' && type !== 'connection_test') {
    throw invalid(`Unknown message type ${shownValue(type)}; use action_start, trigger_start or connection_test.`);
  }
  if (message.body === undefined) throw invalid("The message has no 'body'.");
  if (!isObject(message.body)) throw invalid(`'body' must be an object, not ${kindOf(message.body)}.`);
  const body = message.body;
  const parsed: StartMessage = {
    type,
    meta: objectMember(body, 'meta'),
    connection: objectMember(body, 'connection'),
    input: objectMember(body, 'input'),
  };
  if (type === 'action_start') parsed.step = { kind: 'action', name: stepName(body, 'action', type) };
  if (type === 'trigger_start') {
    parsed.step = { kind: 'trigger', name: stepName(body, 'trigger', type) };
    const dispatcher = body.dispatcher;
    if (dispatcher !== undefined && dispatcher !== null) {
      if (!isObject(dispatcher)) throw invalid(`'body.dispatcher' must be an object, not ${kindOf(dispatcher)}.`);
      if (typeof dispatcher.url !== 'string') throw invalid("'body.dispatcher.url' must be a string.");
      parsed.dispatcher = { url: dispatcher.url };
      if (typeof dispatcher.webhook_url === 'string') parsed.dispatcher.webhook_url = dispatcher.webhook_url;
    }
  }
  return parsed;
}

/**
 * What to send instead of a message that was refused: an example of the message type a route or
 * command takes (`name` fills in the action or trigger).
 */
export function sendInstead(type: StartType, name?: string): string {
  const step = (key: 'action' | 'trigger') => `"${key}":${JSON.stringify(name ?? `<${key}>`)},`;
  const body =
    type === 'connection_test'
      ? '{"connection":{...}}'
      : type === 'action_start'
        ? `{${step('action')}"meta":{},"connection":{...},"input":{...}}`
        : `{${step('trigger')}"meta":{},"connection":{...},"input":{...},"dispatcher":{"url":"..."}}`;
  return `Send a message of the form {"version":"v1","type":"${type}","body":${body}}.`;
}

/**
 * The meta of a message, if it can be found at all: echoed even when the message is rejected,
 * unless the meta itself is what is wrong with it (too deep to echo, or a forbidden key).
 */
export function salvageMeta(message: unknown): JsonObject {
  if (isObject(message) && isObject(message.body) && isObject(message.body.meta)) {
    const meta = message.body.meta;
    return findMessageProblem(meta, ['body', 'meta']) === undefined ? meta : {};
  }
  return {};
}

export function okEnvelope(type: EventType, meta: JsonObject, log: string, output: JsonObject): EventEnvelope {
  return { version: 'v1', type, body: { status: 'ok', meta, log, output } };
}

/** Line breaks written as escapes: text from a client or a remote service stays on its line. */
export function oneLine(text: string): string {
  return text.replace(/\r\n?|[\n\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\r\n' ? '\\r\\n' : `\\u${c.charCodeAt(0).toString(16)}`));
}

export function errorEnvelope(type: EventType, meta: JsonObject, log: string, exception: ExceptionBody): EventEnvelope {
  return {
    version: 'v1',
    type,
    // `error` is one line: a cause quoting input with a line break must not split it.
    body: { status: 'error', meta, log, error: oneLine(`${exception.cause} ${exception.assistance}`.trim()), exception },
  };
}
