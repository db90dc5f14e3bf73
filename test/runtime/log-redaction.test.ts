/** The process log's redaction: secret-named keys at any depth, errors, bindings; the caller's objects untouched. */
import t from 'tap';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/runtime/logger.js';
import { MAX_DEPTH, redactSecrets, TOO_DEEP } from '../../src/runtime/log-redaction.js';
import { MASK } from '../../src/runtime/mask.js';

const SECRET = 'log-redaction-secret-4411';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** { a: { a: ... { [key]: SECRET } } }, the key `depth` levels down. */
function nested(key: string, depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { [key]: SECRET, kept: 'yes' };
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

t.test('every secret-named key is masked at every depth the walk covers, in any letter case', async (t) => {
  const { logger, lines, parsed } = capture();
  // The connection's credential keys (those src/runtime/mask.ts masks in outputs), and the
  // objects and headers that carry them.
  const keys = ['secretKey', 'SECRETKEY', 'password', 'Password', 'secret', 'token', 'Token', 'apiKey', 'api_key', 'X-API-Key', 'credentials', 'Credentials', 'authorization', 'Authorization', 'AUTHORIZATION'];
  for (const key of keys) for (let depth = 0; depth <= MAX_DEPTH; depth++) logger.info(nested(key, depth), `${key} at ${depth}`);
  t.equal(lines.length, keys.length * (MAX_DEPTH + 1), 'every line was written');
  t.notOk(lines.join('\n').includes(SECRET), 'no line shows the secret');
  for (const [i, line] of parsed().entries()) {
    let at: Record<string, unknown> = line;
    for (let depth = i % (MAX_DEPTH + 1); depth > 0; depth--) at = at.a as Record<string, unknown>;
    t.equal(at[keys[Math.floor(i / (MAX_DEPTH + 1))]!], MASK, `line ${i}: the key shows the mask`);
    t.equal(at.kept, 'yes', `line ${i}: the fields beside it are kept`);
  }
});

t.test('secrets inside arrays, headers and a whole start message are masked', async (t) => {
  const { logger, lines } = capture();
  logger.info({ list: [{ credentials: { secretKey: SECRET } }, 'plain', [{ authorization: `Bearer ${SECRET}` }]] }, 'arrays');
  logger.info({ options: { headers: { Authorization: `rest_api_key=${SECRET}`, accept: 'application/json' } } }, 'headers');
  logger.info({ message: { body: { connection: { url: 'https://t.example', credentials: { secretKey: SECRET } } } } }, 'message');
  t.equal(lines.length, 3);
  t.notOk(lines.join('\n').includes(SECRET), 'no line shows the secret');
  t.match(lines[1], /"accept":"application\/json"/, 'other headers are kept');
  t.match(lines[2], /"url":"https:\/\/t.example"/, 'the rest of the connection is kept');
});

t.test('plain data nested deeper than the walk goes is cut, not logged unread', async (t) => {
  const { logger, lines } = capture();
  logger.info(nested('secretKey', MAX_DEPTH + 3), 'too deep');
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  logger.info({ cyclic }, 'cycle');
  t.equal(lines.length, 2, 'both lines were written');
  t.notOk(lines[0]!.includes(SECRET), 'the secret below the limit is not shown');
  t.ok(lines[0]!.includes(TOO_DEEP), 'the cut is marked');
  t.ok(lines[1]!.includes('"name":"loop"'), 'a cyclic object is logged down to the limit');
});

t.test('an error keeps its message and stack; its secret fields are masked', async (t) => {
  const { logger, parsed } = capture();
  const err = Object.assign(new Error('the tenant refused'), { options: { headers: { authorization: SECRET } }, credentials: SECRET });
  logger.error({ err }, 'failed');
  const [line] = parsed();
  const shown = line!.err as Record<string, unknown>;
  t.equal(shown.message, 'the tenant refused');
  t.match(shown.stack, /^Error: the tenant refused\n/);
  t.equal(shown.credentials, MASK);
  t.same(shown.options, { headers: { authorization: MASK } });
  t.equal(err.credentials, SECRET, "the caller's error is unchanged");
});

t.test("the caller's objects are never changed, frozen ones and getters included", async (t) => {
  const { logger, lines } = capture();
  const given = Object.freeze({ connection: Object.freeze({ credentials: Object.freeze({ secretKey: SECRET }) }), step: 'x' });
  const withGetter = { get computed() { return 'value'; }, credentials: SECRET };
  logger.info(given, 'frozen');
  logger.info(withGetter, 'getter');
  t.same(given, { connection: { credentials: { secretKey: SECRET } }, step: 'x' });
  t.equal(withGetter.credentials, SECRET);
  t.equal(lines.length, 2);
  t.notOk(lines.join('\n').includes(SECRET));
  t.match(lines[1], /"computed":"value"/);
});

t.test("a child logger's bindings are redacted too", async (t) => {
  const { logger, lines } = capture();
  logger.child({ connection: { credentials: { secretKey: SECRET } }, tenant: 't1' }).info('from the child');
  logger.child({ tenant: 't2' }).child({ headers: { Authorization: SECRET } }).info("from the child's child");
  t.equal(lines.length, 2);
  t.notOk(lines.join('\n').includes(SECRET));
  t.match(lines[0], /"tenant":"t1"/);
  t.match(lines[1], /"tenant":"t2"/);
});

t.test('a line without secrets is logged as it was given, without a copy', async (t) => {
  const fields = { step: 'create_incident', stepId: 'a-1', stepLog: true, nested: { list: [1, 'two', { three: 3 }] } };
  t.equal(redactSecrets(fields), fields, 'the same object comes back');
  const withSecret = { step: 'x', deep: { credentials: SECRET }, other: { untouched: true } };
  const shown = redactSecrets(withSecret);
  t.not(shown, withSecret, 'an object holding a secret is copied');
  t.equal(shown.other, withSecret.other, 'a branch without a secret is shared, not copied');
});
