/**
 * Bounds the spec states in words (Rapid7's validators refuse `minimum`/`maximum` in a spec)
 * are enforced by the plugin: a value outside is a 400 naming the field, sent before anything
 * reaches ISM; the bounds themselves are accepted.
 */
import t from 'tap';
import { BOUNDS } from '../../src/ivanti/bounds.js';
import { loadSpecFile } from '../../src/spec/load.js';
import { SPEC_FILE } from '../spec/helpers.js';
import { startStack, type Stack } from './helpers.js';

let stack: Stack;
t.before(async () => {
  stack = await startStack();
});
t.teardown(() => stack.close());

const CONNECTION_SETTINGS = ['connect_timeout', 'request_timeout', 'attachment_size_limit', 'response_size_limit'] as const;

for (const field of CONNECTION_SETTINGS) {
  const { min, max } = BOUNDS[field];
  t.test(`connection ${field}: ${min - 1}, ${max + 1} and 2.5 are refused naming it; ${min} and ${max} work`, async (t) => {
    for (const bad of [min - 1, max + 1, 2.5]) {
      const answer = await stack.run('get_incident', { incident_number: 10001 }, stack.connection({ [field]: bad }));
      t.equal(answer.status, 400, `${field} ${bad}: 400`);
      // A fraction is refused by the schema (integer), a number out of range by the plugin: both name the field.
      const expected = Number.isInteger(bad) ? `'${field}' must be a whole number from ${min} to ${max}` : `'${field}' must be an integer`;
      t.match(answer.body.error, expected, `${field} ${bad}: the error names the field (and its bounds)`);
      t.equal(answer.entries.length, 0, `${field} ${bad}: nothing reached ISM`);
    }
    for (const good of [min, max]) {
      const answer = await stack.run('get_incident', { incident_number: 10001 }, stack.connection({ [field]: good }));
      t.equal(answer.status, 200, `${field} ${good}: accepted`);
    }
  });
}

t.test('search max_results: 0 and 10001 are refused naming it; 1 and 10000 work', async (t) => {
  const { min, max } = BOUNDS.max_results;
  for (const bad of [min - 1, max + 1]) {
    const answer = await stack.run('search_incidents', { status: 'Logged', max_results: bad });
    t.equal(answer.status, 400);
    t.match(answer.body.error, /'max_results' must be a whole number from 1 to 10000/);
    t.equal(answer.entries.length, 0, 'nothing reached ISM');
  }
  const one = await stack.run('search_incidents', { status: 'Logged', max_results: min });
  t.equal(one.status, 200);
  t.equal(one.body.output.count, 1, 'max_results 1 returns one incident');
  const all = await stack.run('search_incidents', { status: 'Logged', max_results: max });
  t.equal(all.status, 200);
  t.ok(all.body.output.count >= 1, 'max_results 10000 is accepted');
});

t.test('the spec states each bound in its description, and no spec property carries minimum or maximum', async (t) => {
  const spec = loadSpecFile(SPEC_FILE);
  const params = [...spec.connection, ...[...spec.actions, ...spec.triggers].flatMap((s) => [...s.input, ...s.output]), ...spec.types.flatMap((ty) => ty.fields)];
  t.same(params.filter((p) => p.minimum !== undefined || p.maximum !== undefined).map((p) => p.name), [], 'no minimum or maximum');
  for (const [field, bound] of Object.entries(BOUNDS)) {
    const param = params.find((p) => p.name === field);
    const words = 'max' in bound ? `from ${bound.min} to ${bound.max}` : `at least ${bound.min}`;
    t.match(param?.description, words, `${field}: the description says ${words}`);
  }
});
