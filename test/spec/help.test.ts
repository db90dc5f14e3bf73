/**
 * help.md in the layout of Rapid7's current help generator: every section, every table with
 * the columns Rapid7's validators read (rows printed as Python prints the spec's values), and
 * examples that parse as JSON, with sorted keys, and validate against the generated schemas.
 */
import t from 'tap';
import type { Test } from 'tap';
import { createAjv } from '../../src/spec/validators.js';
import { generateHelp } from '../../src/spec/help.js';
import type { SpecParam } from '../../src/spec/model.js';
import { pythonCell } from '../../src/spec/python-repr.js';
import {
  ACTIONS,
  loadDoc,
  minimalDoc,
  readJson,
  readProjectFile,
  realSpec,
  seed,
  seedBool,
  seedEnum,
  seedValue,
  tableAt,
  type Doc,
  type Row,
} from './helpers.js';

const HELP = readProjectFile('help.md');
const LINES = HELP.split('\n');
const SPEC = realSpec();
const SEED = seed();
const INPUT_HEADER = ['Name', 'Type', 'Default', 'Required', 'Description', 'Enum', 'Example', 'Placeholder', 'Tooltip'];
const OUTPUT_HEADER = ['Name', 'Type', 'Required', 'Description', 'Example'];
const TYPE_HEADER = ['Name', 'Type', 'Default', 'Required', 'Description', 'Example'];

/** Line index of the first line equal to `text` at or after `from`; -1 if none. */
function lineOf(text: string, from = 0, to = LINES.length): number {
  for (let i = from; i < to; i++) if (LINES[i] === text) return i;
  return -1;
}

/** The first ``` block after `label` (a line such as "Example input:") within [from, to). */
function jsonAfter(label: string, from: number, to: number): unknown {
  const at = lineOf(label, from, to);
  if (at < 0) throw new Error(`no '${label}' between lines ${from + 1} and ${to}`);
  const open = lineOf('```', at, to);
  const close = lineOf('```', open + 1, to);
  if (open < 0 || close < 0) throw new Error(`no code block after '${label}' at line ${at + 1}`);
  return JSON.parse(LINES.slice(open + 1, close).join('\n'));
}

/** Where a heading's section ends: the next heading of the same or a higher level. */
function sectionEnd(start: number): number {
  const level = /^(#+) /.exec(LINES[start]!)![1]!.length;
  for (let i = start + 1; i < LINES.length; i++) {
    const m = /^(#+) /.exec(LINES[i]!);
    if (m && m[1]!.length <= level) return i;
  }
  return LINES.length;
}

function validates(t: Test, schema: Doc, value: unknown, what: string): void {
  const validate = createAjv().compile(schema);
  const ok = validate(structuredClone(value));
  t.ok(ok, `${what} validates against its schema`, { errors: validate.errors });
}

/** A help table cell compared with the seed's way of printing the same value. */
function sameCell(t: Test, ours: string, theirs: string, what: string): void {
  const norm = (s: string) => (/^(true|false)$/i.test(s) ? s.toLowerCase() : s);
  t.equal(norm(ours), norm(theirs), what);
}

function compareWithSeed(t: Test, where: string, ours: Row[], theirs: Row[]): void {
  for (const row of theirs) {
    const mine = ours.find((r) => r.Name === row.Name);
    t.ok(mine, `${where}: the table lists ${row.Name}`);
    if (!mine) continue;
    sameCell(t, mine.Type!, row.Type!, `${where}.${row.Name}: Type`);
    sameCell(t, mine.Default!, row.Default!, `${where}.${row.Name}: Default`);
    t.equal(seedBool(mine.Required!), seedBool(row.Required!), `${where}.${row.Name}: Required`);
    t.same(mine.Enum === 'None' ? undefined : JSON.parse(mine.Enum!), seedEnum(row.Enum!), `${where}.${row.Name}: Enum`);
    // Rapid7's validators want an example for every input: one the seed lacked may be added.
    if (row.Example !== 'None') t.same(seedValue(mine.Example!, row.Type!), seedValue(row.Example!, row.Type!), `${where}.${row.Name}: Example`);
  }
}

/** An input row as Rapid7's HelpInputOutput validator rebuilds it from the spec (Python's str() of each value). */
function expectedInputRow(p: SpecParam): string {
  return '|' + [p.name, p.type, p.default, p.required, p.description, p.enum, p.example, p.placeholder, p.tooltip].map(pythonCell).join('|') + '|';
}

function expectedOutputRow(p: SpecParam): string {
  return '|' + [p.name, p.type, p.required, p.description, p.example].map(pythonCell).join('|') + '|';
}

t.test('help.md is what the generator makes of the spec', async (t) => {
  t.equal(HELP, `<!-- Generated from plugin.spec.yaml by \`npm run generate\`. Do not edit. -->\n\n` + generateHelp(SPEC));
});

t.test('sections of the usual layout, in order', async (t) => {
  const titles = [...SPEC.actions].sort((a, b) => a.title.localeCompare(b.title)).map((a) => `#### ${a.title}`);
  const expected = [
    '# Description',
    '# Key Features',
    '# Requirements',
    '# Documentation',
    '## Setup',
    '## Technical Details',
    '### Actions',
    ...titles,
    '### Triggers',
    '### Tasks',
    '### Custom Types',
    ...SPEC.types.map((type) => `**${type.name}**`),
    '## Workflows',
    ...SPEC.workflows.map((w) => `### ${w.title}`),
    '## Troubleshooting',
    '# Version History',
    '# Links',
    '## References',
  ];
  let at = 0;
  for (const heading of expected) {
    const found = lineOf(heading, at);
    t.ok(found >= 0, `'${heading}' is present, after the sections before it`);
    if (found >= 0) at = found + 1;
  }
  for (const heading of ['# Description', '# Key Features', '# Requirements', '## Setup', '## Troubleshooting', '# Version History', '# Links']) {
    const start = lineOf(heading);
    const body = LINES.slice(start + 1, sectionEnd(start)).join('\n').trim();
    t.ok(body.length > 0, `'${heading}' has content`);
  }
  for (const feature of SPEC.keyFeatures) t.ok(LINES.includes(`* ${feature}`), `key feature listed: ${feature}`);
  for (const req of SPEC.requirements) t.ok(LINES.includes(`* ${req}`), `requirement listed: ${req}`);
  for (const v of SPEC.versionHistory) t.ok(LINES.includes(`* ${v.version} - ${v.changes}`), `version ${v.version} listed`);
  for (const l of SPEC.links) t.ok(LINES.includes(`* [${l.title}](${l.url})`), `link ${l.title} listed`);
  for (const r of SPEC.references) t.ok(LINES.includes(`* [${r.title}](${r.url})`), `reference ${r.title} listed`);
  const trouble = lineOf('## Troubleshooting');
  const troubleLines = LINES.slice(trouble + 1, sectionEnd(trouble)).filter((l) => l.trim() !== '');
  t.ok(troubleLines.length >= 10, 'troubleshooting has its entries');
  t.ok(troubleLines.every((l) => l.startsWith('* ')), 'troubleshooting is a bulleted list');
  t.ok(LINES.includes('*This plugin does not contain any tasks.*'), 'the Tasks section says there are none');
  const triggers = lineOf('### Triggers');
  const triggerSection = LINES.slice(triggers, lineOf('### Tasks')).join('\n');
  for (const trigger of SPEC.triggers) t.match(triggerSection, `#### ${trigger.title}`, `trigger ${trigger.name} has its section`);
});

t.test('connection table and example', async (t) => {
  const setup = lineOf('## Setup');
  const end = sectionEnd(setup);
  const intro = lineOf('The connection configuration accepts the following parameters:', setup, end);
  t.ok(intro > 0, 'the connection table is introduced in Setup');
  const table = tableAt(LINES, intro);
  t.same(table.header, INPUT_HEADER);
  t.same(table.rows.map((r) => r.Name), SPEC.connection.map((p) => p.name).sort(), 'one row per connection field');
  compareWithSeed(t, 'connection', table.rows, SEED.connection);
  const example = jsonAfter('Example input:', table.end, end) as Doc;
  t.same(Object.keys(example).sort(), SPEC.connection.map((p) => p.name).sort(), 'the example fills every field');
  t.same(example.credentials, { secretKey: '1A2B3CC4D5E67F8901G2HI345J6K7L89' }, 'the secret is given as {secretKey}');
  validates(t, readJson('schemas/connection.json'), example, 'the connection example');
});

for (const name of ACTIONS) {
  t.test(`action ${name}`, async (t) => {
    const step = SPEC.actions.find((a) => a.name === name)!;
    const start = lineOf(`#### ${step.title}`, lineOf('### Actions'), lineOf('### Triggers'));
    t.ok(start > 0, `a section for ${step.title}`);
    const end = sectionEnd(start);
    t.equal(LINES[start + 2], `This action is used to ${step.description[0]!.toLowerCase()}${step.description.slice(1)}`, 'the step text');

    const inputAt = lineOf('##### Input', start, end);
    const outputAt = lineOf('##### Output', start, end);
    t.ok(inputAt > start && outputAt > inputAt, 'Input, then Output');

    const input = tableAt(LINES, inputAt);
    t.ok(input.end <= outputAt, 'the input table is in the Input section');
    t.same(input.header, INPUT_HEADER, 'input table columns');
    t.same(input.rows.map((r) => r.Name), step.input.map((p) => p.name).sort(), 'one row per input');
    compareWithSeed(t, `${name}.input`, input.rows, SEED.actions.get(name)!.input);
    for (const p of step.input) t.ok(LINES.slice(inputAt, outputAt).includes(expectedInputRow(p)), `${name}.${p.name}: the row Rapid7's validator rebuilds`);
    const exampleInput = jsonAfter('Example input:', input.end, outputAt) as Doc;
    t.same(Object.keys(exampleInput), Object.keys(exampleInput).sort(), 'example input keys are sorted');
    t.same(Object.keys(exampleInput).sort(), step.input.map((p) => p.name).sort(), 'the example input fills every input');
    validates(t, readJson(`schemas/actions/${name}/input.json`), exampleInput, 'the example input');

    const output = tableAt(LINES, outputAt);
    t.same(output.header, OUTPUT_HEADER, 'output table columns');
    t.same(output.rows.map((r) => r.Name), step.output.map((p) => p.name).sort(), 'one row per output');
    for (const row of SEED.actions.get(name)!.output) {
      const mine = output.rows.find((r) => r.Name === row.Name);
      t.equal(mine?.Type, row.Type, `${name}.output.${row.Name}: Type`);
      t.equal(seedBool(mine?.Required ?? ''), seedBool(row.Required!), `${name}.output.${row.Name}: Required`);
    }
    for (const p of step.output) t.ok(LINES.slice(outputAt, output.end).includes(expectedOutputRow(p)), `${name}.${p.name}: the output row`);
    const exampleOutput = jsonAfter('Example output:', output.end, end) as Doc;
    t.same(Object.keys(exampleOutput).sort(), step.output.map((p) => p.name).sort(), 'the example output has every output');
    validates(t, readJson(`schemas/actions/${name}/output.json`), exampleOutput, 'the example output');
  });
}

t.test('custom types: a table of each type, fields by title', async (t) => {
  const section = lineOf('### Custom Types');
  const end = sectionEnd(section);
  for (const type of SPEC.types) {
    const at = lineOf(`**${type.name}**`, section, end);
    t.ok(at > 0, `a table for ${type.name}`);
    const table = tableAt(LINES, at);
    t.same(table.header, TYPE_HEADER);
    t.same(table.rows.map((r) => r.Name).sort(), type.fields.map((f) => f.title).sort(), `${type.name}: one row per field, by title`);
    for (const f of type.fields) {
      const row = table.rows.find((r) => r.Name === f.title);
      t.equal(row?.Type, f.type, `${type.name}.${f.name}: type`);
      t.equal(row?.Description, f.description, `${type.name}.${f.name}: description`);
    }
  }
});

t.test('help of a plugin without triggers, types or troubleshooting still has every section', async (t) => {
  const doc = minimalDoc();
  delete doc.types;
  doc.actions.do_it.output = { ok: { title: 'OK', description: 'Whether it worked', type: 'boolean', required: true, example: true } };
  doc.actions.do_it.input.note = { title: 'Note', description: 'A | note\nwith a break', type: 'string' };
  const help = generateHelp(loadDoc(doc));
  for (const heading of ['# Description', '### Triggers', '### Tasks', '### Custom Types', '## Troubleshooting', '# Version History', '# Links', '## References']) {
    t.ok(help.split('\n').includes(heading), `${heading} is present`);
  }
  t.match(help, '*This plugin does not contain any triggers.*');
  t.match(help, '*This plugin does not contain any custom output types.*');
  t.match(help, '*This plugin does not contain a troubleshooting.*');
  t.match(help, '|note|string|None|False|A \\| note with a break|None|None|None|None|', 'pipes and line breaks are escaped inside a cell');
});
