/**
 * TypeScript declarations from the spec, so every action's signature is checked
 * against the spec by the compiler.
 */
import type { PluginSpec, SpecParam, TypeRef } from './model.js';

export const GENERATED_HEADER = 'Generated from plugin.spec.yaml by `npm run generate`. Do not edit.';

export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

function tsType(ref: TypeRef): string {
  switch (ref.kind) {
    case 'array': {
      const inner = tsType(ref.items);
      return /^[A-Za-z0-9_]+$/.test(inner) ? `${inner}[]` : `Array<${inner}>`;
    }
    case 'custom':
      return pascalCase(ref.name);
    case 'builtin':
      switch (ref.name) {
        case 'string':
        case 'date':
        case 'bytes':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'object':
          return 'Record<string, unknown>';
        case 'credential_secret_key':
          return 'CredentialSecretKey';
        case 'file':
          return 'FileValue';
      }
  }
}

function paramType(p: SpecParam): string {
  if (p.enum && p.enum.every((v) => typeof v === 'string' || typeof v === 'number')) {
    const base = tsType(p.typeRef);
    if (base === 'string' || base === 'number') return p.enum.map((v) => JSON.stringify(v)).join(' | ');
  }
  return tsType(p.typeRef);
}

function comment(text: string, indent: string): string {
  const clean = text.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim();
  return `${indent}/** ${clean} */\n`;
}

/**
 * `alwaysPresent` marks fields the runtime guarantees: required ones, and for inputs
 * and the connection also those with a default, since the runtime applies defaults.
 */
function interfaceBody(params: SpecParam[], alwaysPresent: (p: SpecParam) => boolean, open: boolean): string {
  let body = '';
  for (const p of [...params].sort((a, b) => a.order - b.order)) {
    body += comment(p.description, '  ');
    body += `  ${propertyKey(p.name)}${alwaysPresent(p) ? '' : '?'}: ${paramType(p)};\n`;
  }
  if (open) body += '  /** ISM returns more fields than the spec lists. */\n  [field: string]: unknown;\n';
  return body;
}

export function generateTypes(spec: PluginSpec): string {
  const withDefaults = (p: SpecParam) => p.required || p.default !== undefined;
  const requiredOnly = (p: SpecParam) => p.required;
  let out = `// ${GENERATED_HEADER}\n\n`;
  out += 'export interface CredentialSecretKey {\n  secretKey: string;\n}\n\n';
  out += 'export interface FileValue {\n  filename: string;\n  /** Base64-encoded content. */\n  content: string;\n}\n\n';
  for (const type of spec.types) {
    out += `/** Custom type \`${type.name}\`. */\n`;
    out += `export interface ${pascalCase(type.name)} {\n${interfaceBody(type.fields, requiredOnly, true)}}\n\n`;
  }
  out += `/** The connection, after defaults are applied. */\nexport interface Connection {\n${interfaceBody(spec.connection, withDefaults, false)}}\n\n`;
  const stepMap = (kind: 'Action' | 'Trigger', steps: PluginSpec['actions']) => {
    let text = '';
    for (const step of steps) {
      const base = pascalCase(step.name);
      text += comment(`${step.title}: input after defaults are applied.`, '');
      text += `export interface ${base}Input {\n${interfaceBody(step.input, withDefaults, false)}}\n\n`;
      text += `export interface ${base}Output {\n${interfaceBody(step.output, requiredOnly, false)}}\n\n`;
    }
    text += `export interface ${kind}Types {\n`;
    for (const step of steps) text += `  ${step.name}: { input: ${pascalCase(step.name)}Input; output: ${pascalCase(step.name)}Output };\n`;
    text += '}\n\n';
    text += `export type ${kind}Name = keyof ${kind}Types;\n\n`;
    return text;
  };
  out += stepMap('Action', spec.actions);
  out += stepMap('Trigger', spec.triggers);
  return out.trimEnd() + '\n';
}
