/**
 * Sample start messages: every input filled from the spec's example, else its default,
 * else its first enum value, else an empty value of the right type.
 */
import type { PluginSpec, SpecParam, TypeRef } from './model.js';

function emptyValue(ref: TypeRef): unknown {
  switch (ref.kind) {
    case 'array':
      return [];
    case 'custom':
      return {};
    case 'builtin':
      switch (ref.name) {
        case 'integer':
        case 'number':
          return 0;
        case 'boolean':
          return false;
        case 'object':
          return {};
        case 'credential_secret_key':
          return { secretKey: '' };
        case 'file':
          return { filename: '', content: '' };
        default:
          return '';
      }
  }
}

export function sampleValue(param: SpecParam): unknown {
  let value: unknown;
  if (param.example !== undefined) value = param.example;
  else if (param.default !== undefined) value = param.default;
  else if (param.enum && param.enum.length > 0) value = param.enum[0];
  else value = emptyValue(param.typeRef);
  // A secret's example is written as the bare key; on the wire it is {secretKey}.
  if (param.typeRef.kind === 'builtin' && param.typeRef.name === 'credential_secret_key' && typeof value === 'string') {
    return { secretKey: value };
  }
  return structuredClone(value);
}

export function sampleObject(params: SpecParam[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of [...params].sort((a, b) => a.order - b.order)) out[p.name] = sampleValue(p);
  return out;
}

export interface StartMessage {
  version: 'v1';
  type: 'action_start' | 'trigger_start';
  body: Record<string, unknown>;
}

/** A start message for an action or trigger; undefined when the spec has no such step. */
export function sampleMessage(spec: PluginSpec, stepName: string): StartMessage | undefined {
  const action = spec.actions.find((a) => a.name === stepName);
  if (action) {
    return {
      version: 'v1',
      type: 'action_start',
      body: { action: action.name, meta: {}, connection: sampleObject(spec.connection), input: sampleObject(action.input) },
    };
  }
  const trigger = spec.triggers.find((t) => t.name === stepName);
  if (trigger) {
    return {
      version: 'v1',
      type: 'trigger_start',
      body: {
        trigger: trigger.name,
        meta: {},
        connection: sampleObject(spec.connection),
        dispatcher: { url: 'http://localhost:8000/webhook', webhook_url: '' },
        input: sampleObject(trigger.input),
      },
    };
  }
  return undefined;
}
