/**
 * JSON Schemas (draft-07) from the spec, in the shape orchestrators expect:
 * {type: object, title: Variables, properties, required?, definitions?}.
 */
import type { PluginSpec, SpecCustomType, SpecParam, TypeRef } from './model.js';

export type JsonSchema = Record<string, unknown>;

const CREDENTIAL_SECRET_KEY: JsonSchema = {
  type: 'object',
  title: 'Credential: Secret Key',
  description: 'A shared secret key',
  required: ['secretKey'],
  properties: {
    secretKey: {
      type: 'string',
      title: 'Secret Key',
      displayType: 'password',
      description: 'The shared secret key',
      format: 'password',
    },
  },
};

const FILE: JsonSchema = {
  type: 'object',
  title: 'File',
  description: 'File object',
  required: ['filename', 'content'],
  properties: {
    filename: { type: 'string', title: 'Filename', description: 'Name of the file' },
    content: { type: 'string', format: 'bytes', title: 'Content', description: 'File contents, base64 encoded' },
  },
};

class SchemaBuilder {
  private readonly used = new Set<string>();
  constructor(private readonly types: ReadonlyMap<string, SpecCustomType>) {}

  typeSchema(ref: TypeRef): JsonSchema {
    switch (ref.kind) {
      case 'array':
        return { type: 'array', items: this.typeSchema(ref.items) };
      case 'custom':
        this.use(ref.name);
        return { $ref: `#/definitions/${ref.name}` };
      case 'builtin':
        switch (ref.name) {
          case 'date':
            return { type: 'string', format: 'date-time', displayType: 'date' };
          case 'bytes':
            return { type: 'string', format: 'bytes', displayType: 'bytes' };
          case 'credential_secret_key':
          case 'file':
            this.used.add(ref.name);
            return { $ref: `#/definitions/${ref.name}` };
          default:
            return { type: ref.name };
        }
    }
  }

  private use(name: string): void {
    if (this.used.has(name)) return;
    this.used.add(name);
    const type = this.types.get(name);
    // Pull in the types this one refers to, so the definitions are complete.
    if (type) for (const field of type.fields) this.typeSchema(field.typeRef);
  }

  property(param: SpecParam): JsonSchema {
    const prop: JsonSchema = { ...this.typeSchema(param.typeRef), title: param.title, description: param.description };
    if (param.default !== undefined) prop.default = param.default;
    if (param.enum) prop.enum = param.enum;
    if (param.minimum !== undefined) prop.minimum = param.minimum;
    if (param.maximum !== undefined) prop.maximum = param.maximum;
    if (param.pattern !== undefined) prop.pattern = param.pattern;
    prop.order = param.order;
    return prop;
  }

  object(params: SpecParam[], title: string): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const p of params) properties[p.name] = this.property(p);
    const schema: JsonSchema = { type: 'object', title, properties };
    const required = params.filter((p) => p.required).map((p) => p.name);
    if (required.length > 0) schema.required = required;
    return schema;
  }

  definitions(): Record<string, JsonSchema> | undefined {
    if (this.used.size === 0) return undefined;
    const defs: Record<string, JsonSchema> = {};
    for (const name of [...this.used].sort()) {
      if (name === 'credential_secret_key') defs[name] = CREDENTIAL_SECRET_KEY;
      else if (name === 'file') defs[name] = FILE;
      else {
        const type = this.types.get(name);
        if (!type) continue;
        // A custom type is an open object: ISM returns more fields than the spec lists.
        defs[name] = this.object(type.fields, name);
      }
    }
    return defs;
  }
}

/** The schema of one parameter list (connection, an input or an output). */
export function buildObjectSchema(params: SpecParam[], spec: Pick<PluginSpec, 'types'>): JsonSchema {
  const builder = new SchemaBuilder(new Map(spec.types.map((t) => [t.name, t])));
  const schema = builder.object(params, 'Variables');
  const definitions = builder.definitions();
  if (definitions) schema.definitions = definitions;
  return schema;
}

export interface StepSchemas {
  input: JsonSchema;
  output: JsonSchema;
}

export interface PluginSchemas {
  connection: JsonSchema;
  actions: Record<string, StepSchemas>;
  triggers: Record<string, StepSchemas>;
}

export function buildPluginSchemas(spec: PluginSpec): PluginSchemas {
  const steps = (list: PluginSpec['actions']) =>
    Object.fromEntries(list.map((s) => [s.name, { input: buildObjectSchema(s.input, spec), output: buildObjectSchema(s.output, spec) }]));
  return {
    connection: buildObjectSchema(spec.connection, spec),
    actions: steps(spec.actions),
    triggers: steps(spec.triggers),
  };
}
