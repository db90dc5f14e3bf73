/**
 * The plugin spec after loading: a checked, normalised model that every generator
 * (schemas, types, help, samples) and the runtime read. Nothing here is YAML-shaped:
 * the loader has already rejected anything it does not understand.
 */

export type BuiltinType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'object'
  | 'date'
  | 'bytes'
  | 'file'
  | 'credential_secret_key';

export const BUILTIN_TYPES: readonly BuiltinType[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'object',
  'date',
  'bytes',
  'file',
  'credential_secret_key',
];

/** A parsed spec type: `string`, `[]incident`, `[][]string`, ... */
export type TypeRef =
  | { kind: 'builtin'; name: BuiltinType }
  | { kind: 'custom'; name: string }
  | { kind: 'array'; items: TypeRef };

export interface SpecParam {
  name: string;
  title: string;
  description: string;
  /** The type as written in the spec, e.g. `[]incident`. */
  type: string;
  typeRef: TypeRef;
  required: boolean;
  /** 1-based position, from the spec's `order` or the position in the mapping. */
  order: number;
  default?: unknown;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  /** A regular expression (JSON Schema `pattern`) a string input must match. */
  pattern?: string;
  /** Hint shown in an empty input field of the orchestrator's form. */
  placeholder?: string;
  /** Help shown beside the input in the orchestrator's form. */
  tooltip?: string;
}

export interface SpecStep {
  kind: 'action' | 'trigger';
  name: string;
  title: string;
  description: string;
  input: SpecParam[];
  output: SpecParam[];
}

export interface SpecCustomType {
  name: string;
  description?: string;
  fields: SpecParam[];
}

export interface HelpSection {
  title: string;
  text: string;
}

export interface SpecLink {
  title: string;
  url: string;
}

export interface VersionEntry {
  version: string;
  changes: string;
}

export interface PluginSpec {
  pluginSpecVersion: string;
  extension: string;
  products: string[];
  name: string;
  title: string;
  description: string;
  version: string;
  vendor: string;
  support: string;
  status: string[];
  sdkVersion: string;
  supportedVersions: string[];
  resources: Record<string, string>;
  tags: string[];
  hubTags: { useCases: string[]; keywords: string[]; features: string[] };
  /** Version of the connection's shape; it goes up with the plugin's major version when the connection changes. */
  connectionVersion?: number;
  keyFeatures: string[];
  requirements: string[];
  setup: { intro: string; steps: string[]; notes: string };
  /** Markdown, written into help.md as it is (usually a bulleted list). */
  troubleshooting: string;
  /** Recipes that chain several steps, each a title and its Markdown text. */
  workflows: HelpSection[];
  versionHistory: VersionEntry[];
  links: SpecLink[];
  references: SpecLink[];
  types: SpecCustomType[];
  connection: SpecParam[];
  actions: SpecStep[];
  triggers: SpecStep[];
}
