/**
 * help.md in the usual plugin help layout: Description, Key Features, Requirements,
 * Documentation (Setup, Technical Details), Custom Output Types, Workflows (when the spec has
 * recipes), Troubleshooting, Version History, Links.
 */
import type { PluginSpec, SpecParam, SpecStep } from './model.js';
import { sampleObject, sampleValue } from './sample.js';

function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function literal(value: unknown): string {
  if (value === undefined) return 'None';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function exampleCell(value: unknown): string {
  if (value === undefined) return 'None';
  if (typeof value === 'object' && value !== null) return '{}';
  return literal(value);
}

function sortedParams(params: SpecParam[]): SpecParam[] {
  return [...params].sort((a, b) => a.name.localeCompare(b.name));
}

function inputTable(params: SpecParam[]): string {
  let out = '|Name|Type|Default|Required|Description|Enum|Example|\n|----|----|-------|--------|-----------|----|-------|\n';
  for (const p of sortedParams(params)) {
    const bounds = [p.minimum !== undefined ? `minimum ${p.minimum}` : '', p.maximum !== undefined ? `maximum ${p.maximum}` : '']
      .filter(Boolean)
      .join(', ');
    const description = bounds ? `${p.description} (${bounds})` : p.description;
    out += `|${cell(p.name)}|${cell(p.type)}|${cell(literal(p.default))}|${p.required}|${cell(description)}|${
      p.enum ? cell(JSON.stringify(p.enum)) : 'None'
    }|${cell(exampleCell(p.example))}|\n`;
  }
  return out;
}

function outputTable(params: SpecParam[]): string {
  let out = '|Name|Type|Required|Description|\n|----|----|--------|-----------|\n';
  for (const p of sortedParams(params)) out += `|${cell(p.name)}|${cell(p.type)}|${p.required}|${cell(p.description)}|\n`;
  return out;
}

function jsonBlock(value: unknown): string {
  return '```\n' + JSON.stringify(value, null, 2) + '\n```\n';
}

function stepSection(step: SpecStep): string {
  let out = `#### ${step.title}\n\n${step.description.trim()}\n\n##### Input\n\n`;
  if (step.input.length === 0) out += '_This ' + step.kind + ' does not contain any inputs._\n\n';
  else out += inputTable(step.input) + '\nExample input:\n\n' + jsonBlock(sampleObject(step.input)) + '\n';
  out += '##### Output\n\n' + outputTable(step.output) + '\nExample output:\n\n';
  out += jsonBlock(Object.fromEntries(step.output.map((p) => [p.name, sampleValue(p)]))) + '\n';
  return out;
}

export function generateHelp(spec: PluginSpec): string {
  let out = `# Description\n\n${spec.description.trim()}\n\n`;
  out += '# Key Features\n\n' + spec.keyFeatures.map((f) => `* ${f}`).join('\n') + '\n\n';
  out += '# Requirements\n\n' + spec.requirements.map((r) => `* ${r}`).join('\n') + '\n\n';
  if (spec.supportedVersions.length > 0) {
    out += '# Supported Product Versions\n\n' + spec.supportedVersions.map((v) => `* ${v}`).join('\n') + '\n\n';
  }
  out += '# Documentation\n\n## Setup\n\n';
  if (spec.setup.intro) out += spec.setup.intro.trim() + '\n\n';
  if (spec.setup.steps.length > 0) out += spec.setup.steps.map((s, i) => `${i + 1}. ${s}`).join('\n') + '\n\n';
  if (spec.setup.notes) out += spec.setup.notes.trim() + '\n\n';
  out += 'The connection configuration accepts the following parameters:\n\n';
  out += inputTable(spec.connection) + '\nExample input:\n\n' + jsonBlock(sampleObject(spec.connection)) + '\n';

  out += '## Technical Details\n\n### Actions\n\n';
  const byTitle = (a: SpecStep, b: SpecStep) => a.title.localeCompare(b.title);
  if (spec.actions.length === 0) out += '_This plugin does not contain any actions._\n\n';
  for (const action of [...spec.actions].sort(byTitle)) out += stepSection(action);
  out += '### Triggers\n\n';
  if (spec.triggers.length === 0) out += '_This plugin does not contain any triggers._\n\n';
  for (const trigger of [...spec.triggers].sort(byTitle)) out += stepSection(trigger);

  out += '### Custom Output Types\n\n';
  if (spec.types.length === 0) out += '_This plugin does not define any custom output types._\n\n';
  for (const type of spec.types) out += `#### ${type.name}\n\n` + outputTable(type.fields) + '\n';

  if (spec.workflows.length > 0) {
    out += '## Workflows\n\n';
    for (const entry of spec.workflows) out += `### ${entry.title}\n\n${entry.text.trim()}\n\n`;
  }

  out += '## Troubleshooting\n\n';
  if (spec.troubleshooting.length === 0) out += '_This plugin does not contain any troubleshooting information._\n\n';
  for (const entry of spec.troubleshooting) out += `### ${entry.title}\n\n${entry.text.trim()}\n\n`;

  out += '# Version History\n\n' + spec.versionHistory.map((v) => `* ${v.version} - ${v.changes}`).join('\n') + '\n\n';
  out += '# Links\n\n' + spec.links.map((l) => `* [${l.title}](${l.url})`).join('\n') + '\n';
  if (spec.references.length > 0) {
    out += '\n## References\n\n' + spec.references.map((l) => `* [${l.title}](${l.url})`).join('\n') + '\n';
  }
  return out;
}
