import fc from 'fast-check';
import t from 'tap';
import {
  FilterError,
  compileFilter,
  formatFilter,
  parseFilter,
  quoteFilterString,
  type FilterSchema,
} from '../../src/simulator/index.js';

const schema: FilterSchema = {
  typeName: 'Incident',
  resolveField(name) {
    const fields = ['Subject', 'Status', 'IncidentNumber', 'CreatedDateTime', 'IsVIP', 'Priority', 'Owner', 'LoginID'];
    return fields.find((f) => f.toLowerCase() === name.toLowerCase());
  },
  typeOf(field) {
    if (field === 'IncidentNumber') return 'integer';
    if (field === 'IsVIP') return 'boolean';
    if (field === 'CreatedDateTime') return 'datetime';
    return 'string';
  },
};

const rows = [
  { Subject: "O'Brien's laptop", Status: 'Active', IncidentNumber: 10001, CreatedDateTime: '2025-12-31T23:00:00-02:00', IsVIP: true, Priority: '2', Owner: 'jdoe', LoginID: 'a' },
  { Subject: 'Printer jam', Status: 'Logged', IncidentNumber: 10002, CreatedDateTime: '2025-12-31T20:00:00+00:00', IsVIP: false, Priority: '5', Owner: null, LoginID: 'b' },
  { Subject: 'VPN down', Status: 'Closed', IncidentNumber: 10003, CreatedDateTime: '2026-02-01T10:00:00+00:00', IsVIP: false, Priority: '10', Owner: '', LoginID: 'c' },
];

function matching(filter: string): number[] {
  const predicate = compileFilter(parseFilter(filter), schema);
  return rows.filter((r) => predicate(r)).map((r) => r.IncidentNumber);
}

t.test('parses comparisons into an AST', async (t) => {
  t.same(parseFilter("Status eq 'Active'"), { type: 'compare', field: 'Status', op: 'eq', value: { kind: 'string', value: 'Active' } });
  for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge']) {
    const node = parseFilter(`IncidentNumber ${op} 10023`);
    t.equal(node.type === 'compare' && node.op, op);
  }
});

t.test('and binds tighter than or', async (t) => {
  const ast = parseFilter("Status eq 'A' or Status eq 'B' and Owner eq 'C'");
  t.equal(formatFilter(ast), "(Status eq 'A' or (Status eq 'B' and Owner eq 'C'))");
  t.same(matching("Status eq 'Closed' or Status eq 'Active' and IncidentNumber eq 10002"), [10003]);
});

t.test('parentheses override precedence', async (t) => {
  const ast = parseFilter("(Status eq 'A' or Status eq 'B') and Owner eq 'C'");
  t.equal(formatFilter(ast), "((Status eq 'A' or Status eq 'B') and Owner eq 'C')");
  t.same(matching("(Status eq 'Closed' or Status eq 'Active') and IncidentNumber eq 10001"), [10001]);
  t.same(matching("((IncidentNumber eq 10002))"), [10002]);
});

t.test('a doubled quote inside a string is one quote', async (t) => {
  const ast = parseFilter("Subject eq 'O''Brien''s laptop'");
  t.same(ast, { type: 'compare', field: 'Subject', op: 'eq', value: { kind: 'string', value: "O'Brien's laptop" } });
  t.same(matching("Subject eq 'O''Brien''s laptop'"), [10001]);
  t.same(parseFilter("Subject eq ''''"), { type: 'compare', field: 'Subject', op: 'eq', value: { kind: 'string', value: "'" } });
});

t.test('bare integers and decimals are numbers', async (t) => {
  t.same(parseFilter('IncidentNumber eq 10023'), { type: 'compare', field: 'IncidentNumber', op: 'eq', value: { kind: 'number', value: 10023, text: '10023' } });
  const dec = parseFilter('Priority lt 2.5');
  t.same(dec.type === 'compare' && dec.value, { kind: 'number', value: 2.5, text: '2.5' });
  t.same(matching('IncidentNumber ge 10002'), [10002, 10003]);
  t.same(matching('IncidentNumber gt -1 and IncidentNumber lt 10002'), [10001]);
  // Numbers held as text compare as numbers ("10" is above "5").
  t.same(matching('Priority gt 4'), [10002, 10003]);
});

t.test('bare ISO dates and date-times compare by time', async (t) => {
  const node = parseFilter('CreatedDateTime gt 2026-01-01T00:00:00Z');
  t.same(node.type === 'compare' && node.value.kind, 'datetime');
  // 2025-12-31T23:00:00-02:00 is 2026-01-01T01:00Z: after midnight UTC although its text says 2025.
  t.same(matching('CreatedDateTime gt 2026-01-01T00:00:00Z'), [10001, 10003]);
  t.same(matching('CreatedDateTime lt 2026-01-01'), [10002]);
  t.same(matching('CreatedDateTime ge 2026-02-01T10:00:00+00:00'), [10003]);
  t.same(matching("CreatedDateTime le '2025-12-31T20:00:00Z'"), [10002]);
});

t.test("'$NULL' means null (or empty)", async (t) => {
  t.same(parseFilter("Owner eq '$NULL'"), { type: 'compare', field: 'Owner', op: 'eq', value: { kind: 'null' } });
  t.same(matching("Owner eq '$NULL'"), [10002, 10003]);
  t.same(matching("Owner ne '$NULL'"), [10001]);
  t.throws(() => parseFilter("Owner gt '$NULL'"), FilterError);
});

t.test('true and false are booleans', async (t) => {
  t.same(matching('IsVIP eq true'), [10001]);
  t.same(matching('IsVIP eq false'), [10002, 10003]);
});

t.test('eq and ne on strings ignore case; field names too', async (t) => {
  t.same(matching("Status eq 'ACTIVE'"), [10001]);
  t.same(matching("status eq 'active'"), [10001]);
  t.same(matching("Status ne 'active'"), [10002, 10003]);
});

t.test('garbage does not parse', async (t) => {
  const bad = [
    '',
    '   ',
    "Status eq 'Active",
    "Status eq 'Active' and",
    "Status eq 'Active' Status",
    "Status eq 'Active')",
    "(Status eq 'Active'",
    "Status equals 'Active'",
    "Status == 'Active'",
    'Status eq Active',
    "eq 'Active'",
    "Status eq 'A' xor Status eq 'B'",
    "not Status eq 'A'",
    "Status eq 'A'; DROP TABLE incidents",
    "substringof('a', Subject)",
    'IncidentNumber eq 10023abc',
    'CreatedDateTime gt 2026-13-45T99:99:99Z',
    "'a' eq 'a'",
    "Status eq 'a''",
  ];
  for (const filter of bad) t.throws(() => parseFilter(filter), FilterError, JSON.stringify(filter));
});

t.test('an unescaped injection fails to parse; an escaped one is matched literally', async (t) => {
  const attack = "x' or 'a' eq 'a";
  t.throws(() => parseFilter(`Subject eq '${attack}'`), FilterError);
  t.throws(() => parseFilter(`Subject eq '${"x') or (Status ne 'y"}'`), FilterError);
  const escaped = parseFilter(`Subject eq ${quoteFilterString(attack)}`);
  t.same(escaped, { type: 'compare', field: 'Subject', op: 'eq', value: { kind: 'string', value: attack } });
  t.same(matching(`Subject eq ${quoteFilterString(attack)}`), []);
});

t.test('any string, quoted with doubled quotes, parses back to itself', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (s) => {
        const node = parseFilter(`Subject eq ${quoteFilterString(s)}`);
        const expected = s === '$NULL' ? { kind: 'null' } : { kind: 'string', value: s };
        return node.type === 'compare' && JSON.stringify(node.value) === JSON.stringify(expected);
      }),
      { numRuns: 500 },
    ),
  );
});

t.test('unknown fields and impossible comparisons are errors when compiled', async (t) => {
  t.throws(() => compileFilter(parseFilter("Nope eq 'x'"), schema), /Could not find a property named 'Nope' on type 'Incident'/);
  t.throws(() => compileFilter(parseFilter("IncidentNumber eq 'abc'"), schema), FilterError);
  t.throws(() => compileFilter(parseFilter('IsVIP eq 3'), schema), FilterError);
  t.throws(() => compileFilter(parseFilter("CreatedDateTime gt 'soon'"), schema), FilterError);
});

t.test('errors say where the problem is', async (t) => {
  try {
    parseFilter("Status eq 'Active' Status");
    t.fail('should throw');
  } catch (err) {
    t.ok(err instanceof FilterError);
    t.equal((err as FilterError).position, 19);
    t.match((err as Error).message, /position 19/);
  }
});
