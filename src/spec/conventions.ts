/**
 * The conventions Rapid7's plugin validators hold every plugin to, checked on the loaded spec
 * so that `npm run generate` refuses a spec that would fail them (the validators themselves
 * are Python and run outside the build; see docs/conformance.md). Each problem names the spec
 * node and says what to write instead.
 */
import type { PluginSpec, SpecParam, SpecStep } from './model.js';

/** The use cases Rapid7's hub accepts in `hub_tags.use_cases`. */
export const USE_CASES: readonly string[] = [
  'alerting_and_notifications', 'application_management', 'asset_inventory', 'cloud_security', 'credential_management',
  'data_enrichment', 'data_utility', 'devops', 'offensive_security', 'remediation_management', 'reporting_and_analytics',
  'threat_detection_and_response', 'user_management', 'vulnerability_management',
];

const SUPPORT = ['rapid7', 'community', 'partner'];

/**
 * Acronyms this spec's subject may use, which Rapid7's validators want in capitals wherever one
 * stands as a word of its own (split at spaces, so "rest," passes and "rest" does not). Some are
 * also English words: write "them all", not "the rest".
 */
const ACRONYMS = new Set([
  'API', 'CI', 'CSV', 'DB', 'DNS', 'FQDN', 'GUID', 'HTML', 'HTTP', 'HTTPS', 'IOC', 'IP', 'ISO', 'ITIL', 'JSON', 'JWT', 'LDAP',
  'MAC', 'MD5', 'MIME', 'PDF', 'REST', 'RFC', 'SAML', 'SHA256', 'SLA', 'SMTP', 'SQL', 'SSH', 'SSL', 'TCP', 'TLS', 'UI', 'URI',
  'URL', 'UTC', 'UUID', 'VPN', 'XML', 'ZIP',
]);

function acronymProblems(at: string, text: string): string[] {
  return text
    .split(/\s+/)
    .filter((word) => ACRONYMS.has(word.toUpperCase()) && word !== word.toUpperCase())
    .map((word) => `${at}: '${word}' is the acronym ${word.toUpperCase()}; write it in capitals, or use another word`);
}

function descriptionProblems(path: string, text: string): string[] {
  const problems: string[] = acronymProblems(`${path}.description`, text);
  const trimmed = text.trim();
  if (trimmed === '') return [`${path}.description: is empty`];
  if (trimmed.endsWith('.')) problems.push(`${path}.description: ends with a period; Rapid7's validators want none`);
  if (/^[a-z]/.test(trimmed)) problems.push(`${path}.description: starts with a lower-case letter`);
  if (/^\s/.test(text)) problems.push(`${path}.description: starts with a space`);
  return problems;
}

function titleProblems(path: string, title: string): string[] {
  const problems: string[] = acronymProblems(`${path}.title`, title);
  if (title.endsWith('.')) problems.push(`${path}.title: ends with a period`);
  if (/^[a-z]/.test(title)) problems.push(`${path}.title: starts with a lower-case letter`);
  return problems;
}

/**
 * Problems of one input, output or connection field. A help table row is the description as it
 * is, so a description must be one line without `|`; bounds and forms belong in the description
 * and in code (Rapid7's validators allow no `minimum`, `maximum` or `pattern` in a spec).
 */
function paramProblems(path: string, p: SpecParam, kind: 'input' | 'output' | 'field'): string[] {
  const at = `${path}.${p.name}`;
  const problems = [...titleProblems(at, p.title)];
  if (kind !== 'field') problems.push(...descriptionProblems(at, p.description));
  else problems.push(...acronymProblems(`${at}.description`, p.description));
  if (/[|\r\n]/.test(p.description)) problems.push(`${at}.description: must be one line without '|' (help tables print it as it is)`);
  if (kind === 'input' && p.example === undefined) problems.push(`${at}: has no example; every input needs one`);
  for (const bound of ['minimum', 'maximum'] as const) {
    if (p[bound] !== undefined) problems.push(`${at}.${bound}: Rapid7's validators refuse it; state the bound in the description and enforce it in code`);
  }
  if (p.pattern !== undefined) problems.push(`${at}.pattern: Rapid7's validators refuse it; state the form in the description and enforce it in code`);
  return problems;
}

function stepProblems(path: string, step: SpecStep): string[] {
  const at = `${path}.${step.name}`;
  return [
    ...titleProblems(at, step.title),
    ...descriptionProblems(at, step.description),
    ...step.input.flatMap((p) => paramProblems(`${at}.input`, p, 'input')),
    ...step.output.flatMap((p) => paramProblems(`${at}.output`, p, 'output')),
  ];
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

function historyProblems(spec: PluginSpec): string[] {
  const history = spec.versionHistory;
  if (history.length === 0) return ['version_history: is empty; list every version, newest first'];
  const problems: string[] = [];
  if (history[0]!.version !== spec.version) problems.push(`version_history[0]: is ${history[0]!.version}; it must describe the spec's version ${spec.version}`);
  for (let i = 1; i < history.length; i++) {
    if (compareVersions(history[i - 1]!.version, history[i]!.version) <= 0) problems.push(`version_history[${i}]: versions must go newest first, each older than the one before`);
  }
  const first = history[history.length - 1]!;
  if (first.version !== '1.0.0' || !first.changes.startsWith('Initial plugin')) problems.push(`version_history: the last entry must be "1.0.0 - Initial plugin..."`);
  return problems;
}

/** Characters outside ASCII anywhere in the spec's text (Rapid7's Encoding validator refuses them). */
function nonAscii(path: string, value: unknown): string[] {
  if (typeof value === 'string') return /[^\x00-\x7f]/.test(value) ? [`${path}: contains characters outside ASCII`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonAscii(`${path}[${i}]`, v));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => nonAscii(`${path}.${k}`, v));
  return [];
}

/** Email addresses a plugin's text may show: Rapid7's recommended examples (user@example.com, user2@example.com, ...). */
const EMAIL = /[A-Za-z0-9._-]+@[A-Za-z0-9._-]+\.[A-Za-z0-9_-]+/g;
const EXAMPLE_EMAIL = /^user\d*@example\.com$/;

function exampleEmails(path: string, value: unknown): string[] {
  if (typeof value === 'string') {
    return (value.match(EMAIL) ?? []).filter((e) => !EXAMPLE_EMAIL.test(e)).map((e) => `${path}: the address ${e} is not an example address; use user@example.com (or user2@example.com, ...)`);
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => exampleEmails(`${path}[${i}]`, v));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => exampleEmails(`${path}.${k}`, v));
  return [];
}

export function conventionProblems(spec: PluginSpec): string[] {
  const problems: string[] = [...titleProblems('plugin', spec.title), ...descriptionProblems('plugin', spec.description)];
  if (spec.vendor !== spec.vendor.toLowerCase() || /\s/.test(spec.vendor)) problems.push('vendor: must be lower case, without spaces');
  if (!SUPPORT.includes(spec.support)) problems.push(`support: must be one of ${SUPPORT.join(', ')}`);
  if (!spec.products.includes('insightconnect')) problems.push('products: must include insightconnect');
  if (spec.tags.length < 2) problems.push('tags: give at least two');
  if (spec.supportedVersions.length === 0) problems.push('supported_versions: give at least one');
  if (spec.hubTags.useCases.length === 0) problems.push('hub_tags.use_cases: give at least one');
  for (const useCase of spec.hubTags.useCases) {
    if (!USE_CASES.includes(useCase)) problems.push(`hub_tags.use_cases: '${useCase}' is not one of ${USE_CASES.join(', ')}`);
  }
  if (spec.hubTags.keywords.length === 0) problems.push('hub_tags.keywords: give at least one');
  for (const keyword of spec.hubTags.keywords) {
    if (USE_CASES.includes(keyword)) problems.push(`hub_tags.keywords: '${keyword}' is a use case; list it under use_cases only`);
  }
  if (spec.keyFeatures.length === 0) problems.push('key_features: give at least one');
  if (spec.links.length === 0) problems.push('links: give at least one, to the vendor');
  problems.push(...historyProblems(spec));
  const major = Number(spec.version.split('.')[0]);
  // Raised only when the connection's settings change (Rapid7's version checks refuse a bump
  // without a change), so it may lag behind the plugin's major version, never lead it.
  if (spec.connection.length > 0 && (spec.connectionVersion ?? 1) > major) {
    problems.push(`connection_version: must be at most ${major}, the plugin's major version; raise it only when the connection's settings change`);
  }
  problems.push(...spec.connection.flatMap((p) => paramProblems('connection', p, 'input')));
  problems.push(...spec.actions.flatMap((s) => stepProblems('actions', s)));
  problems.push(...spec.triggers.flatMap((s) => stepProblems('triggers', s)));
  for (const type of spec.types) problems.push(...type.fields.flatMap((f) => paramProblems(`types.${type.name}`, f, 'field')));
  problems.push(...nonAscii('spec', spec));
  problems.push(...exampleEmails('spec', spec));
  return problems;
}
