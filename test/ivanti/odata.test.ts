/**
 * The OData helpers: literals, filters from typed parts, URL encoding of every query
 * parameter, and record paths; each rendered filter is read back by the simulator's parser,
 * which reads filters the way ISM does.
 */
import t from 'tap';
import fc from 'fast-check';
import { and, collectionPath, compare, eq, isRecId, literal, or, queryString, recordPath, renderFilter, encodeQueryValue } from '../../src/ivanti/odata.js';
import { formatFilter, parseFilter } from '../../src/simulator/index.js';
import { stringLiterals } from './helpers.js';

/** The query string as a server decodes it. */
const decoded = (query: string): Record<string, string> => Object.fromEntries(new URLSearchParams(query));

t.test('literals', async (t) => {
  t.equal(literal('plain'), "'plain'");
  t.equal(literal("O'Neill"), "'O''Neill'");
  t.equal(literal("''"), "''''''");
  t.equal(literal("x' or 'a' eq 'a"), "'x'' or ''a'' eq ''a'");
  t.equal(literal(''), "''");
  t.equal(literal(null), "'$NULL'");
  t.equal(literal(10023), '10023');
  t.equal(literal(-1.5), '-1.5');
  t.equal(literal(0), '0');
  t.equal(literal(true), 'true');
  t.equal(literal(false), 'false');
  t.equal(literal(new Date('2026-01-01T00:00:00Z')), '2026-01-01T00:00:00Z', 'dates bare, no .000');
  t.equal(literal(new Date('2026-01-01T10:20:30.250Z')), '2026-01-01T10:20:30.250Z', 'milliseconds kept when there are some');
  t.throws(() => literal(Number.NaN));
  t.throws(() => literal(Number.POSITIVE_INFINITY));
  t.throws(() => literal(new Date('not a date')));
});

t.test('filters from typed parts', async (t) => {
  t.equal(renderFilter(eq('IncidentNumber', 10023)), 'IncidentNumber eq 10023');
  t.equal(renderFilter(compare('CreatedDateTime', 'gt', new Date('2026-01-01T00:00:00Z'))), 'CreatedDateTime gt 2026-01-01T00:00:00Z');
  t.equal(renderFilter(eq('Owner', null)), "Owner eq '$NULL'");
  t.equal(renderFilter(or(eq('LoginID', "O'Neill"), eq('DisplayName', "O'Neill"))), "LoginID eq 'O''Neill' or DisplayName eq 'O''Neill'");
  const nested = and(eq('Status', 'Active'), or(eq('Owner', 'jdoe'), eq('Owner', null)), compare('Priority', 'le', 2));
  t.equal(renderFilter(nested), "Status eq 'Active' and (Owner eq 'jdoe' or Owner eq '$NULL') and Priority le 2");
  const deep = or(and(eq('A', 1), eq('B', 2)), and(eq('C', 3), or(eq('D', 4), eq('E', 5))));
  t.equal(renderFilter(deep), '(A eq 1 and B eq 2) or (C eq 3 and (D eq 4 or E eq 5))');
  t.equal(formatFilter(parseFilter(renderFilter(deep))), '((A eq 1 and B eq 2) or (C eq 3 and (D eq 4 or E eq 5)))', 'ISM reads the intended grouping');
  t.equal(renderFilter(and(eq('A', 1))), 'A eq 1', 'one part needs no operator');
  t.throws(() => renderFilter(and()), /empty/);
  for (const field of ['Sub ject', "Subject'", '1Field', 'A;B', 'A)', '']) {
    t.throws(() => eq(field, 'x'), /invalid OData field name/, `field ${JSON.stringify(field)} refused`);
  }
  for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) {
    t.equal(renderFilter(compare('IncidentNumber', op, 5)), `IncidentNumber ${op} 5`);
  }
});

t.test('any string is one literal that ISM reads back unchanged', async (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
      const filter = renderFilter(or(eq('LoginID', text), eq('DisplayName', text)));
      const literals = stringLiterals(parseFilter(filter));
      return literals.length === 2 && literals.every((l) => l === text);
    }),
    { numRuns: 500 },
  );
  t.pass('500 strings round-tripped');
});

t.test('every query parameter is URL-encoded', async (t) => {
  const nasty = "a b'c&d#e%f+g=h?i/j\r\nk\u00e9\u4e2d\u{1F600}(l)*!";
  const query = queryString({
    filter: and(eq('Subject', nasty), eq('Status', 'Logged')),
    search: nasty,
    select: ['RecId', 'Subject'],
    orderby: [{ field: 'CreatedDateTime', desc: true }, { field: 'IncidentNumber' }],
    top: 25,
  });
  t.notMatch(query, /[ '\r\n#()*!\u0080-\uffff]/u, 'no raw space, quote, CR/LF, #, parenthesis or non-ASCII');
  t.equal(query.split('&').length, 5, '& inside values is encoded: five parameters');
  const params = decoded(query);
  t.same(params, {
    $filter: `Subject eq '${nasty.replace(/'/g, "''")}' and Status eq 'Logged'`,
    $search: nasty,
    $select: 'RecId,Subject',
    $orderby: 'CreatedDateTime desc,IncidentNumber asc',
    $top: '25',
  }, 'a server decodes exactly what was meant');
  t.match(query, /\$filter=Subject%20eq%20%27a%20b%27%27c%26d%23e%25f%2Bg%3Dh%3Fi%2Fj%0D%0Ak%C3%A9/);
  t.equal(encodeQueryValue("(x)*!'"), '%28x%29%2A%21%27');
  t.equal(queryString({}), '');
  t.equal(queryString({ top: 0 }), '$top=0');
  for (const bad of [-1, 1.5, Number.NaN]) {
    t.throws(() => queryString({ top: bad }), /invalid \$top/);
  }
  t.throws(() => queryString({ select: ['RecId,Subject'] }), /invalid OData field name/);
  t.throws(() => queryString({ orderby: [{ field: 'X desc' }] }), /invalid OData field name/);
});

t.test('collection and record paths', async (t) => {
  t.equal(collectionPath('incidents'), 'incidents');
  t.equal(collectionPath('employees', { filter: eq('PrimaryEmail', 'user@example.com'), top: 2 }), 'employees?$filter=PrimaryEmail%20eq%20%27user%40example.com%27&$top=2');
  t.equal(collectionPath('journal__notess', {}), 'journal__notess');
  for (const set of ['incidents/x', '../x', 'incidents?x', "incidents('A')", '']) t.throws(() => collectionPath(set), /invalid business object set/);

  const rec = 'BC6E2562367D08417D67FAECB5841C25';
  t.equal(recordPath('incidents', rec), `incidents('${rec}')`);
  t.equal(recordPath('incidents', rec.toLowerCase()), `incidents('${rec.toLowerCase()}')`, 'hex in either case');
  for (const bad of [
    '',
    rec.slice(1),
    rec + '0',
    rec.slice(0, 31) + 'G',
    `${rec.slice(0, 30)}')`,
    `${rec}') or ('1`,
    '../../employees',
    ' ' + rec.slice(1),
    rec.slice(0, 31) + '\n',
    '10023',
  ]) {
    t.throws(() => recordPath('incidents', bad), /invalid RecId/, `RecId ${JSON.stringify(bad)} refused`);
  }
  t.throws(() => recordPath('incidents x', rec), /invalid business object set/);
  t.ok(isRecId(rec));
  t.notOk(isRecId(10023));
  t.notOk(isRecId(rec + ' '));
});
