/**
 * Text with malformed Unicode (half of a UTF-16 surrogate pair) in any input or in the secret:
 * a 400 that names the field, before anything reaches ISM; never a crash.
 */
import t from 'tap';
import { sampleInput, startStack, type Json } from './helpers.js';

const ACTIONS = ['create_incident', 'update_incident', 'delete_incident', 'add_note', 'get_incident', 'search_incidents', 'add_attachment'];
const BROKEN = ['a\ud800b', '\udc00', 'tail\udbff'];

/** The paths of every string in a value, as `a.b`. */
function stringPaths(value: unknown, base: string[] = []): string[][] {
  if (typeof value === 'string') return [base];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...base, k]));
}

function withValue(value: Json, path: string[], text: string): Json {
  const copy = structuredClone(value);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Json;
  node[path.at(-1)!] = text;
  return copy;
}

t.test('malformed Unicode in any text input is refused with a 400 naming the field', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  for (const action of ACTIONS) {
    const input = sampleInput(action, action === 'search_incidents' ? { keyword: 'printer', customer: 'user@example.com' } : {});
    for (const path of stringPaths(input)) {
      const r = await stack.run(action, withValue(input, path, BROKEN[path.length % BROKEN.length]!));
      const field = path.join('.');
      t.equal(r.status, 400, `${action} ${field}: 400`);
      t.match(r.body.error, `The input is not valid: '${field}' is not well-formed Unicode`, `${action}: the error names ${field}`);
      t.equal(r.entries.length, 0, `${action} ${path.join('.')}: nothing reached ISM`);
    }
  }
});

t.test('malformed Unicode in the secret, the URL or a cache key is refused with a 400 naming it', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const cases: [string, Json][] = [
    ['credentials.secretKey', stack.connection({ credentials: { secretKey: 'ISM-key-\ud800' } })],
    ['url', stack.connection({ url: `${stack.sim.url}/\udfff` })],
    ['connection_cache_key', stack.connection({ connection_cache_key: 'k\ud801' })],
  ];
  for (const [field, connection] of cases) {
    for (const send of [() => stack.run('get_incident', { incident_number: 10001 }, connection), () => stack.test(connection)]) {
      const r = await send();
      t.equal(r.status, 400, `${field}: 400, not 500`);
      t.match(r.body.exception, { cause: `The connection is not valid: '${field}' is not well-formed Unicode` });
      t.equal(r.entries.length, 0, 'nothing reached ISM');
    }
  }
});

t.test('well-formed text outside the BMP (a surrogate pair) is accepted', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const r = await stack.run('add_note', { incident_number: 10001, summary: 'Alert \u{1F6A8} from the SOC' });
  t.equal(r.status, 200, r.body.error ?? 'ok');
  t.equal((r.entries.at(-1)!.body as Json).Subject, 'Alert \u{1F6A8} from the SOC');
});
