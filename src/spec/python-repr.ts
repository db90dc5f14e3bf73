/**
 * Values printed as Rapid7's help generator prints them in table cells: Python's `str()` of the
 * value its YAML loader produced (True, False, None, `{'key': 'value'}`), with a list's quotes
 * turned into double quotes. Rapid7's HelpInputOutput validator rebuilds each table row this way
 * from the spec and looks for it in help.md, so the cells must match it character for character.
 */

const CONTROL_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Python's repr() of a string: single quotes unless the text holds a single quote and no double one. */
function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (CONTROL_ESCAPES[c] !== undefined) out += CONTROL_ESCAPES[c];
    else if (c === quote) out += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return quote + out + quote;
}

/** Python's repr() of a value decoded from YAML or JSON. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return reprString(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloat(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${reprString(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value);
}

/** Python's str() of a value, as a help table cell shows it: a string as it is, a list with double quotes. */
export function pythonCell(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return pythonRepr(value).replace(/'/g, '"');
  return pythonRepr(value);
}
