/**
 * Help table cells print values as Python's str() does, because Rapid7's HelpInputOutput
 * validator rebuilds each row that way. The expected texts below were printed by Python 3.11.
 */
import t from 'tap';
import { pythonCell } from '../../src/spec/python-repr.js';

const CASES: Array<[unknown, string]> = [
  [{ filename: 'evidence.txt', content: 'U3Vz' }, "{'filename': 'evidence.txt', 'content': 'U3Vz'}"],
  [['Logged', 'Waiting for 3rd Party'], '["Logged", "Waiting for 3rd Party"]'],
  [[{ a: true, b: null, c: 1 }], '[{"a": True, "b": None, "c": 1}]'],
  [{ q: "O'Brien", d: 'say "hi"', both: 'it\'s "x"', nl: 'a\nb\\c' }, `{'q': "O'Brien", 'd': 'say "hi"', 'both': 'it\\'s "x"', 'nl': 'a\\nb\\\\c'}`],
  [true, 'True'],
  [false, 'False'],
  [12345, '12345'],
  ['plain text', 'plain text'],
  [null, 'None'],
  [undefined, 'None'],
  [[], '[]'],
  [{}, '{}'],
];

t.test("cells are Python's str() of the value, a list with double quotes", async (t) => {
  for (const [value, expected] of CASES) t.equal(pythonCell(value), expected, JSON.stringify(value) ?? 'undefined');
});
