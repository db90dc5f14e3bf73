/**
 * The spec loader rejects a malformed spec with an error that names the path of the
 * offending node and the problem, and reports every problem at once.
 */
import t from 'tap';
import type { Test } from 'tap';
import { dump } from 'js-yaml';
import { loadSpecFile, parseSpec, SpecError } from '../../src/spec/load.js';
import { buildPluginSchemas } from '../../src/spec/schema.js';
import { loadDoc, minimalDoc, realDoc, specErrorOf, SPEC_FILE, type Doc } from './helpers.js';

/**
 * Loads the changed spec and checks that it is rejected with a problem at `path` whose
 * text holds every word in `words`; the error message names the path too.
 */
function rejects(tt: Test, doc: Doc | string, path: string, words: string[]): void {
  const err = specErrorOf(doc);
  if (!err) {
    tt.fail(`the spec was accepted; expected a problem at ${path}`);
    return;
  }
  const problem = err.problems.find((p) => p.startsWith(`${path}: `));
  tt.ok(problem, `a problem is reported at ${path}`, { problems: err.problems });
  for (const word of words) tt.match(problem ?? '', word, `the problem at ${path} says '${word}'`);
  tt.match(err.message, path, 'the error message names the path');
  tt.match(err.message, 'test.spec.yaml', 'the error message names the file');
}

function changed(mutate: (doc: Doc) => void, base: () => Doc = realDoc): Doc {
  const doc = base();
  mutate(doc);
  return doc;
}

t.test('valid specs load', async (t) => {
  const spec = loadSpecFile(SPEC_FILE);
  t.equal(spec.name, 'ivanti_service_manager');
  t.same(
    spec.actions.map((a) => a.name),
    [
      'create_incident', 'create_service_request', 'update_incident', 'delete_incident', 'add_note', 'get_incident', 'search_incidents', 'add_attachment',
      'get_record', 'search_records', 'create_record', 'update_record', 'delete_record', 'link_records', 'unlink_records', 'list_related',
      'run_quick_action', 'list_attachments', 'download_attachment', 'delete_attachment',
    ],
  );
  t.same(
    spec.triggers.map((x) => x.name),
    ['new_incident', 'updated_incident'],
  );
  t.same(
    spec.types.map((x) => x.name),
    ['attachment', 'incident', 'journal_note', 'service_request'],
  );
  t.same(
    spec.connection.map((p) => p.name),
    ['credentials', 'url', 'ssl_verify', 'connect_timeout', 'request_timeout', 'attachment_size_limit', 'response_size_limit'],
  );

  const round = loadDoc(realDoc());
  t.same(round, { ...spec }, 'the real spec survives a parse/dump round trip unchanged');

  const mini = loadDoc(minimalDoc());
  t.equal(mini.actions.length, 1);
  const mode = mini.actions[0]!.input.find((p) => p.name === 'mode')!;
  t.same(mode.enum, ['fast', 'slow']);
  t.equal(mode.default, 'fast');
  t.equal(mode.example, 'slow');
  t.equal(mode.order, 1, 'order is the 1-based position when the spec gives none');
  t.equal(mini.actions[0]!.input.find((p) => p.name === 'count')!.order, 2);
  t.same(mini.actions[0]!.output[0]!.typeRef, { kind: 'custom', name: 'thing' });

  const explicit = loadDoc(changed((d) => (d.actions.do_it.input.count.order = 7), minimalDoc));
  t.equal(explicit.actions[0]!.input.find((p) => p.name === 'count')!.order, 7, 'an explicit order wins');

  const noInputs = loadDoc(changed((d) => (d.actions.do_it.input = {}), minimalDoc));
  t.same(noInputs.actions[0]!.input, [], "'input: {}' declares an action without inputs");
});

t.test('unknown top-level key', async (t) => {
  rejects(t, changed((d) => (d.colour = 'blue')), 'colour', ["unknown key 'colour'", 'allowed:', 'connection']);
});

t.test('unknown param key', async (t) => {
  t.test('in the connection', async (t) => {
    rejects(t, changed((d) => (d.connection.url.colour = 'blue')), 'connection.url.colour', ["unknown key 'colour'", 'allowed:']);
    const hinted = loadDoc(changed((d) => Object.assign(d.connection.url, { placeholder: 'https://', tooltip: 'The tenant' }), minimalDoc));
    t.match(hinted.connection[0], { placeholder: 'https://', tooltip: 'The tenant' }, 'placeholder and tooltip are read');
  });
  t.test('in an action input', async (t) => {
    rejects(
      t,
      changed((d) => (d.actions.create_incident.input.summary.max_length = 100)),
      'actions.create_incident.input.summary.max_length',
      ["unknown key 'max_length'", 'allowed:'],
    );
  });
  t.test('in an action output', async (t) => {
    rejects(t, changed((d) => (d.actions.delete_incident.output.success.default = true)), 'actions.delete_incident.output.success.default', [
      "unknown key 'default'",
      'allowed:',
    ]);
  });
  t.test('in a custom type field', async (t) => {
    rejects(t, changed((d) => (d.types.incident.Subject.format = 'text')), 'types.incident.Subject.format', [
      "unknown key 'format'",
      'allowed:',
    ]);
  });
  t.test('in an action', async (t) => {
    rejects(t, changed((d) => (d.actions.add_note.inputs = {})), 'actions.add_note.inputs', ["unknown key 'inputs'"]);
  });
});

t.test('unknown type', async (t) => {
  t.test('a misspelt built-in type', async (t) => {
    rejects(t, changed((d) => (d.actions.add_note.input.incident_number.type = 'int')), 'actions.add_note.input.incident_number.type', [
      "unknown type 'int'",
      'integer',
    ]);
  });
  t.test('reported once, without follow-on problems about its values', async (t) => {
    const err = specErrorOf(changed((d) => (d.actions.add_note.input.incident_number.type = 'int')));
    t.same(err?.problems.length, 1, 'the example 12345 is not also reported against a stand-in type', { problems: err?.problems });
  });
  t.test('a type that is not a name', async (t) => {
    rejects(t, changed((d) => (d.connection.url.type = 'String')), 'connection.url.type', ["unknown type 'String'"]);
  });
  t.test('inside an array', async (t) => {
    rejects(t, changed((d) => (d.types.journal_note.Subject.type = '[]strng')), 'types.journal_note.Subject.type', ["unknown type 'strng'"]);
  });
  t.test('no type at all', async (t) => {
    rejects(t, changed((d) => delete d.actions.add_note.input.notes.type), 'actions.add_note.input.notes.type', ['is missing']);
  });
});

t.test('missing title', async (t) => {
  t.test('of the plugin', async (t) => {
    rejects(t, changed((d) => delete d.title), 'title', ['is missing']);
  });
  t.test('of an action', async (t) => {
    rejects(t, changed((d) => delete d.actions.add_note.title), 'actions.add_note.title', ['is missing']);
  });
  t.test('of a param', async (t) => {
    rejects(t, changed((d) => delete d.connection.ssl_verify.title), 'connection.ssl_verify.title', ['is missing']);
  });
  t.test('empty', async (t) => {
    rejects(t, changed((d) => (d.actions.update_incident.input.status.title = '  ')), 'actions.update_incident.input.status.title', [
      'must not be empty',
    ]);
  });
});

t.test('missing description', async (t) => {
  t.test('of an action', async (t) => {
    rejects(t, changed((d) => delete d.actions.delete_incident.description), 'actions.delete_incident.description', ['is missing']);
  });
  t.test('of an input param', async (t) => {
    rejects(t, changed((d) => delete d.actions.create_incident.input.customer.description), 'actions.create_incident.input.customer.description', [
      'is missing',
    ]);
  });
  t.test('of an output param', async (t) => {
    rejects(t, changed((d) => delete d.actions.add_note.output.journal_note.description), 'actions.add_note.output.journal_note.description', [
      'is missing',
    ]);
  });
  t.test('of a custom type field', async (t) => {
    rejects(t, changed((d) => delete d.types.incident.IncidentNumber.description), 'types.incident.IncidentNumber.description', ['is missing']);
  });
  t.test('not a string', async (t) => {
    rejects(t, changed((d) => (d.connection.url.description = ['a', 'b'])), 'connection.url.description', ['must be a string', 'a list']);
  });
});

t.test('enum and default that disagree', async (t) => {
  rejects(t, changed((d) => (d.actions.create_incident.input.status.default = 'Open')), 'actions.create_incident.input.status.default', [
    '"Open"',
    'not one of the enum values',
    'Logged',
  ]);
});

t.test('default of the wrong type', async (t) => {
  rejects(t, changed((d) => (d.connection.ssl_verify.default = 'yes')), 'connection.ssl_verify.default', ['expected a boolean', '"yes"', 'boolean']);
});

t.test('an example that does not match its type', async (t) => {
  t.test('a string for an integer', async (t) => {
    rejects(t, changed((d) => (d.actions.add_note.input.incident_number.example = 'twelve')), 'actions.add_note.input.incident_number.example', [
      'expected an integer',
      '"twelve"',
      'example',
    ]);
  });
  t.test('a fraction for an integer', async (t) => {
    rejects(t, changed((d) => (d.actions.delete_incident.input.incident_number.example = 1.5)), 'actions.delete_incident.input.incident_number.example', [
      'expected an integer',
    ]);
  });
  t.test('a string for a boolean output', async (t) => {
    rejects(t, changed((d) => (d.actions.delete_incident.output.success.example = 'true')), 'actions.delete_incident.output.success.example', [
      'expected a boolean',
    ]);
  });
  t.test('a custom type example with a field of the wrong type', async (t) => {
    rejects(
      t,
      changed((d) => (d.actions.create_incident.output.incident.example.IncidentNumber = '12345')),
      'actions.create_incident.output.incident.example',
      ['expected an integer', 'IncidentNumber'],
    );
  });
});

t.test('an example not in its enum', async (t) => {
  rejects(t, changed((d) => (d.actions.create_incident.input.impact.example = 'Critical')), 'actions.create_incident.input.impact.example', [
    '"Critical"',
    'not one of the enum values',
  ]);
});

t.test('enum values of the wrong type', async (t) => {
  rejects(t, changed((d) => (d.actions.create_incident.input.type.enum = ['Request', 2])), 'actions.create_incident.input.type.enum[1]', [
    'expected a string',
  ]);
});

t.test('a custom type referenced but not defined', async (t) => {
  t.test('a misspelt type name', async (t) => {
    rejects(t, changed((d) => (d.actions.add_note.output.journal_note.type = 'journalnote')), 'actions.add_note.output.journal_note.type', [
      "unknown type 'journalnote'",
      "no custom type 'journalnote' is defined under 'types'",
    ]);
  });
  t.test('a removed type', async (t) => {
    const err = specErrorOf(changed((d) => delete d.types.journal_note));
    t.ok(err);
    t.same(
      err?.problems.map((p) => p.split(':')[0]),
      ['actions.add_note.output.journal_note.type'],
      'exactly the param that uses the type is reported',
    );
    t.match(err?.problems[0] ?? '', "no custom type 'journal_note' is defined under 'types'");
  });
  t.test('as the items of an array', async (t) => {
    rejects(t, changed((d) => (d.actions.do_it.output.thing.type = '[]widget'), minimalDoc), 'actions.do_it.output.thing.type', [
      "unknown type 'widget'",
      "no custom type 'widget' is defined under 'types'",
    ]);
  });
});

t.test('an action without input', async (t) => {
  t.test('input left out', async (t) => {
    rejects(t, changed((d) => delete d.actions.delete_incident.input), 'actions.delete_incident.input', ['is missing', 'input: {}']);
  });
  t.test('input written but empty (null)', async (t) => {
    rejects(t, changed((d) => (d.actions.delete_incident.input = null)), 'actions.delete_incident.input', ['is missing']);
  });
  t.test('input not a mapping', async (t) => {
    rejects(t, changed((d) => (d.actions.delete_incident.input = ['incident_number'])), 'actions.delete_incident.input', ['must be a mapping']);
  });
});

t.test('an action without output', async (t) => {
  t.test('output left out', async (t) => {
    rejects(t, changed((d) => delete d.actions.add_note.output), 'actions.add_note.output', ['is missing', 'at least one output']);
  });
  t.test('output: {}', async (t) => {
    rejects(t, changed((d) => (d.actions.add_note.output = {})), 'actions.add_note.output', ['is missing']);
  });
  t.test('output written but empty (null)', async (t) => {
    rejects(t, changed((d) => (d.actions.add_note.output = null)), 'actions.add_note.output', ['is missing']);
  });
});

t.test('invalid YAML', async (t) => {
  const broken = 'name: ivanti_service_manager\nactions: [create_incident\ntitle: x\n';
  const err = specErrorOf(broken);
  t.ok(err instanceof SpecError, 'a SpecError');
  t.equal(err?.problems.length, 1);
  t.match(err?.problems[0] ?? '', 'not valid YAML');
  t.match(err?.message ?? '', 'test.spec.yaml', 'names the file');
  t.match(err?.problems[0] ?? '', /\(\d+:\d+\)/, 'gives the line and column');

  t.test('a tab in the indentation', async (t) => {
    const tabbed = dump(realDoc()).replace('\n  vendor_url:', '\n\tvendor_url:');
    const e = specErrorOf(tabbed);
    t.match(e?.problems[0] ?? '', 'not valid YAML');
  });
  t.test('a key given twice', async (t) => {
    const e = specErrorOf(dump(realDoc()).replace('\nvendor: community\n', '\nvendor: community\nvendor: someone else\n'));
    t.match(e?.problems[0] ?? '', 'not valid YAML');
    t.match(e?.problems[0] ?? '', 'duplicated mapping key');
  });
  t.test('a document that is not a mapping', async (t) => {
    const e = specErrorOf('- a\n- b\n');
    t.match(e?.problems[0] ?? '', 'the document must be a mapping');
  });
  t.test('an empty document', async (t) => {
    const e = specErrorOf('');
    t.ok(e, 'rejected');
  });
});

t.test('every problem is reported at once', async (t) => {
  const doc = changed((d) => {
    d.colour = 'blue';
    delete d.actions.add_note.title;
    d.actions.create_incident.input.status.default = 'Open';
    d.actions.create_incident.input.impact.example = 'Critical';
    d.connection.url.type = 'text';
    delete d.actions.delete_incident.output;
  });
  const err = specErrorOf(doc);
  t.ok(err);
  const paths = err?.problems.map((p) => p.slice(0, p.indexOf(': '))).sort();
  t.same(paths, [
    'actions.add_note.title',
    'actions.create_incident.input.impact.example',
    'actions.create_incident.input.status.default',
    'actions.delete_incident.output',
    'colour',
    'connection.url.type',
  ]);
  t.match(err?.message ?? '', '6 problem(s)');
  for (const p of err?.problems ?? []) t.match(err?.message ?? '', p, 'the message lists every problem');
});

t.test('other checks of the document', async (t) => {
  rejects(t, changed((d) => (d.plugin_spec_version = 'v1')), 'plugin_spec_version', ["must be 'v2'"]);
  rejects(t, changed((d) => (d.version = '1.0')), 'version', ['not a semantic version']);
  rejects(t, changed((d) => (d.actions['Create-Incident'] = d.actions.create_incident)), 'actions.Create-Incident', ['not a valid action name']);
  rejects(t, changed((d) => (d.connection.url.required = 'yes')), 'connection.url.required', ['must be true or false']);
  rejects(t, changed((d) => (d.connection.connect_timeout.order = 0)), 'connection.connect_timeout.order', ['positive integer']);
  // A bound is still understood (other plugins on this runtime may use one); Rapid7's conventions keep it out of this spec.
  rejects(t, changed((d) => Object.assign(d.connection.connect_timeout, { minimum: 1, default: 0 })), 'connection.connect_timeout.default', ['below the minimum 1']);
  rejects(t, changed((d) => (d.connection.url.minimum = 1)), 'connection.url.minimum', ['only integer and number']);
  rejects(t, changed((d) => (d.actions.create_incident.input.type.enum = [])), 'actions.create_incident.input.type.enum', ['non-empty list']);
  rejects(t, changed((d) => (d.types.string = { a: { title: 'A', description: 'A', type: 'string' } })), 'types.string', ['built-in type']);
  rejects(t, changed((d) => (d.types.empty = {})), 'types.empty', ['at least one field']);
  rejects(
    t,
    changed((d) => {
      d.actions = {};
      d.triggers = {};
    }),
    'actions',
    ['no actions'],
  );
  rejects(t, changed((d) => (d.links[0] = '[Vendor](ftp://example.com)')), 'links[0]', ['not a Markdown link']);
  rejects(t, changed((d) => (d.links[0] = { title: 'Vendor', url: 'https://example.com' })), 'links[0]', ['must be a string']);
  rejects(t, changed((d) => (d.references = 'https://example.com')), 'references', ['must be a list']);
  rejects(t, changed((d) => (d.version_history[0] = { version: '1.1.0', changes: 'x' })), 'version_history[0]', ['must be a string']);
  rejects(t, changed((d) => (d.version_history[0] = '1.1 - Something')), 'version_history[0]', ['X.Y.Z - what changed']);
  rejects(t, changed((d) => (d.troubleshooting = [{ title: 'A', text: 'B' }])), 'troubleshooting', ['one Markdown string']);
  rejects(t, changed((d) => (d.connection_version = 0)), 'connection_version', ['positive integer']);
  const spec = loadDoc(changed(() => undefined));
  t.same(spec.links[0], { title: 'Ivanti Service Manager', url: 'https://www.ivanti.co.uk/products/service-manager' }, 'a link is read as its title and URL');
  t.match(spec.versionHistory.at(-1), { version: '1.0.0', changes: /^Initial plugin/ }, 'a version history entry is read as its version and changes');
  rejects(t, changed((d) => (d.actions.get_record.input.object.pattern = '([a-z')), 'actions.get_record.input.object.pattern', ['not a valid regular expression']);
  rejects(t, changed((d) => (d.actions.get_record.input.object.pattern = 5)), 'actions.get_record.input.object.pattern', ['regular expression as a string']);
  rejects(t, changed((d) => (d.actions.search_records.input.max_results.pattern = '^1$')), 'actions.search_records.input.max_results.pattern', ['only string parameters']);
  rejects(t, changed((d) => Object.assign(d.actions.get_record.input.object, { pattern: '^[A-Za-z]+$', example: 'Prob lem' })), 'actions.get_record.input.object.example', ['does not match the pattern']);
  rejects(t, changed((d) => (d.workflows = [{ title: 'Only a title' }])), 'workflows[0].text', ['is missing']);
});

t.test('a pattern reaches the input schema; workflows the model', async (t) => {
  // The runtime understands a pattern; Rapid7's conventions keep it out of this plugin's own spec.
  const spec = loadDoc(changed((d) => (d.actions.get_record.input.object.pattern = '^[A-Za-z][A-Za-z0-9_#]*$')));
  const object = spec.actions.find((a) => a.name === 'get_record')?.input.find((p) => p.name === 'object');
  t.type(object?.pattern, 'string');
  const schemas = buildPluginSchemas(spec);
  t.equal((schemas.actions.get_record?.input.properties as Record<string, { pattern?: string }>).object?.pattern, object?.pattern);
  t.notOk('pattern' in (schemas.actions.get_record?.input.properties as Record<string, object>).field!, 'only where the spec gives one');
  t.same(spec.workflows.map((w) => w.title), [
    'Open a problem from an incident, link the two, and link the affected CI',
    "Keep an incident's evidence, then close the incident",
    "Request software for a user, with the template's parameters",
  ]);
});

t.test('parseSpec names the source in the error', async (t) => {
  t.throws(() => parseSpec('name: x\n', 'elsewhere.yaml'), { name: 'SpecError', message: /^elsewhere\.yaml: / });
});
