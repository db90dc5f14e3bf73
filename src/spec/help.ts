/**
 * help.md in the layout of Rapid7's current plugin help generator: Description, Key Features,
 * Requirements, Documentation (Setup, Technical Details with Actions, Triggers, Tasks and
 * Custom Types), Workflows (when the spec has recipes), Troubleshooting, Version History, Links
 * and References. Table rows print values as that generator does (see python-repr.ts), so
 * Rapid7's help validators find every input and output row.
 */
import type { PluginSpec, SpecCustomType, SpecParam, SpecStep } from './model.js';
import { pythonCell } from './python-repr.js';
import { sampleObject, sampleValue } from './sample.js';

const INPUT_HEADER = ['Name', 'Type', 'Default', 'Required', 'Description', 'Enum', 'Example', 'Placeholder', 'Tooltip'];
const OUTPUT_HEADER = ['Name', 'Type', 'Required', 'Description', 'Example'];
const TYPE_HEADER = ['Name', 'Type', 'Default', 'Required', 'Description', 'Example'];

function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: string[], rows: unknown[][]): string {
  const line = (cells: string[]) => `|${cells.join('|')}|\n`;
  return line(header) + line(header.map(() => ' :--- ')) + rows.map((r) => line(r.map((v) => cell(pythonCell(v))))).join('');
}

const byName = (a: SpecParam, b: SpecParam) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function inputTable(params: SpecParam[]): string {
  return table(
    INPUT_HEADER,
    [...params].sort(byName).map((p) => [p.name, p.type, p.default, p.required, p.description, p.enum, p.example, p.placeholder, p.tooltip]),
  );
}

function outputTable(params: SpecParam[]): string {
  return table(OUTPUT_HEADER, [...params].sort(byName).map((p) => [p.name, p.type, p.required, p.description, p.example]));
}

/** A custom type's fields by title, as Rapid7's help lists them. */
function typeTable(type: SpecCustomType): string {
  const fields = [...type.fields].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : byName(a, b)));
  return table(TYPE_HEADER, fields.map((f) => [f.title, f.type, f.default, f.required, f.description, f.example]));
}

/** The value with every object's keys in sorted order, as the generator prints examples. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function jsonBlock(value: unknown): string {
  return '```\n' + JSON.stringify(sortedKeys(value), null, 2) + '\n```\n';
}

/** "Create an incident" becomes "create an incident"; "ISM answers" keeps its acronym. */
function asClause(description: string): string {
  const text = description.trim();
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function stepSection(step: SpecStep): string {
  let out = `#### ${step.title}\n\nThis ${step.kind} is used to ${asClause(step.description)}\n\n##### Input\n\n`;
  if (step.input.length === 0) out += `*This ${step.kind} does not contain any inputs.*\n\n`;
  else out += inputTable(step.input) + '\nExample input:\n\n' + jsonBlock(sampleObject(step.input)) + '\n';
  out += '##### Output\n\n';
  if (step.output.length === 0) out += `*This ${step.kind} does not contain any outputs.*\n\n`;
  else out += outputTable(step.output) + '\nExample output:\n\n' + jsonBlock(Object.fromEntries(step.output.map((p) => [p.name, sampleValue(p)]))) + '\n';
  return out;
}

function steps(kind: 'actions' | 'triggers', list: SpecStep[]): string {
  const byTitle = (a: SpecStep, b: SpecStep) => a.title.localeCompare(b.title);
  if (list.length === 0) return `*This plugin does not contain any ${kind}.*\n\n`;
  return [...list].sort(byTitle).map(stepSection).join('');
}

const bullets = (items: string[], none: string) => (items.length > 0 ? items : [none]).map((i) => `* ${i}`).join('\n') + '\n\n';

export function generateHelp(spec: PluginSpec): string {
  let out = `# Description\n\n${spec.description.trim()}\n\n`;
  out += '# Key Features\n\n' + bullets(spec.keyFeatures, 'This plugin does not contain any key features');
  out += '# Requirements\n\n' + bullets(spec.requirements, 'This plugin does not contain any requirements');
  if (spec.supportedVersions.length > 0) out += '# Supported Product Versions\n\n' + bullets(spec.supportedVersions, '');
  out += '# Documentation\n\n## Setup\n\n';
  if (spec.setup.intro) out += spec.setup.intro.trim() + '\n\n';
  if (spec.setup.steps.length > 0) out += spec.setup.steps.map((s, i) => `${i + 1}. ${s}`).join('\n') + '\n\n';
  if (spec.setup.notes) out += spec.setup.notes.trim() + '\n\n';
  out += 'The connection configuration accepts the following parameters:\n\n';
  out += inputTable(spec.connection) + '\nExample input:\n\n' + jsonBlock(sampleObject(spec.connection)) + '\n';

  out += '## Technical Details\n\n### Actions\n\n' + steps('actions', spec.actions);
  out += '### Triggers\n\n' + steps('triggers', spec.triggers);
  out += '### Tasks\n\n*This plugin does not contain any tasks.*\n\n';
  out += '### Custom Types\n\n';
  if (spec.types.length === 0) out += '*This plugin does not contain any custom output types.*\n\n';
  for (const type of spec.types) out += `**${type.name}**\n\n` + typeTable(type) + '\n';

  if (spec.workflows.length > 0) {
    out += '## Workflows\n\n';
    for (const entry of spec.workflows) out += `### ${entry.title}\n\n${entry.text.trim()}\n\n`;
  }

  out += '## Troubleshooting\n\n' + (spec.troubleshooting.trim() || '*This plugin does not contain a troubleshooting.*') + '\n\n';
  out += '# Version History\n\n' + spec.versionHistory.map((v) => `* ${v.version} - ${v.changes}`).join('\n') + '\n\n';
  out += '# Links\n\n' + spec.links.map((l) => `* [${l.title}](${l.url})`).join('\n') + '\n\n';
  out += '## References\n\n' + spec.references.map((l) => `* [${l.title}](${l.url})`).join('\n') + '\n';
  return out;
}
