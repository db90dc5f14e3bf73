/**
 * OData `$filter` as ISM understands it: `eq ne lt le gt ge`, `and`, `or`, parentheses,
 * single-quoted strings (`''` is a quote), bare numbers, bare ISO dates, `true`/`false` and
 * `'$NULL'`. A tokenizer and a recursive-descent parser turn the text into an AST; `compileFilter`
 * turns the AST into a predicate once per request.
 *
 * Anything the grammar does not cover is a syntax error, so a value spliced into a filter without
 * escaping (`x' or 'a' eq 'a`) either fails to parse or, once escaped, is compared literally.
 */

export type ComparisonOperator = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type FilterLiteral =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'datetime'; value: string; time: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export type FilterNode =
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { type: 'compare'; field: string; op: ComparisonOperator; value: FilterLiteral };

/** A `$filter` that does not parse, or that names something the object does not have. */
export class FilterError extends Error {
  readonly position: number | undefined;
  constructor(detail: string, position?: number) {
    super(position === undefined ? detail : `${detail} at position ${position}`);
    this.name = 'FilterError';
    this.position = position;
  }
}

type Token =
  | { t: 'lparen'; pos: number }
  | { t: 'rparen'; pos: number }
  | { t: 'word'; text: string; pos: number }
  | { t: 'literal'; value: FilterLiteral; pos: number }
  | { t: 'end'; pos: number };

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER_RE = /^-?\d+(?:\.\d+)?/;
const WORD_RE = /^[A-Za-z_][A-Za-z0-9_]*/;
const NULL_TEXT = '$NULL';

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function isDelimiter(ch: string | undefined): boolean {
  return ch === undefined || isSpace(ch) || ch === '(' || ch === ')';
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === '(') {
      tokens.push({ t: 'lparen', pos: i });
      i++;
      continue;
    }
    if (ch === ')') {
      tokens.push({ t: 'rparen', pos: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new FilterError('unterminated string literal', start);
        const c = text[i] as string;
        if (c === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!isDelimiter(text[i])) throw new FilterError('unexpected character after string literal', i);
      tokens.push({
        t: 'literal',
        value: value === NULL_TEXT ? { kind: 'null' } : { kind: 'string', value },
        pos: start,
      });
      continue;
    }
    const rest = text.slice(i);
    if ((ch >= '0' && ch <= '9') || ch === '-') {
      const date = DATE_RE.exec(rest);
      if (date && isDelimiter(text[i + date[0].length])) {
        const raw = date[0];
        const hasZone = /(?:Z|[+-]\d{2}:\d{2})$/.test(raw) && raw.includes('T');
        const time = Date.parse(raw.includes('T') && !hasZone ? `${raw}Z` : raw);
        if (Number.isNaN(time)) throw new FilterError(`invalid date '${raw}'`, i);
        tokens.push({ t: 'literal', value: { kind: 'datetime', value: raw, time }, pos: i });
        i += raw.length;
        continue;
      }
      const num = NUMBER_RE.exec(rest);
      if (num && isDelimiter(text[i + num[0].length])) {
        tokens.push({ t: 'literal', value: { kind: 'number', value: Number(num[0]), text: num[0] }, pos: i });
        i += num[0].length;
        continue;
      }
      throw new FilterError('malformed number or date', i);
    }
    const word = WORD_RE.exec(rest);
    if (word && isDelimiter(text[i + word[0].length])) {
      const w = word[0];
      if (w === 'true' || w === 'false') {
        tokens.push({ t: 'literal', value: { kind: 'boolean', value: w === 'true' }, pos: i });
      } else {
        tokens.push({ t: 'word', text: w, pos: i });
      }
      i += w.length;
      continue;
    }
    throw new FilterError(`unexpected character '${ch}'`, i);
  }
  tokens.push({ t: 'end', pos: n });
  return tokens;
}

function describe(tok: Token): string {
  switch (tok.t) {
    case 'lparen':
      return "'('";
    case 'rparen':
      return "')'";
    case 'word':
      return `'${tok.text}'`;
    case 'literal':
      return 'a literal value';
    case 'end':
      return 'the end of the filter';
  }
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const tok = this.tokens[this.i] as Token;
    if (tok.t !== 'end') this.i++;
    return tok;
  }

  private isWord(tok: Token, text: string): boolean {
    return tok.t === 'word' && tok.text === text;
  }

  parse(): FilterNode {
    const node = this.orExpr();
    const tok = this.peek();
    if (tok.t !== 'end') throw new FilterError(`unexpected ${describe(tok)}`, tok.pos);
    return node;
  }

  private orExpr(): FilterNode {
    let left = this.andExpr();
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      left = { type: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): FilterNode {
    let left = this.primary();
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      left = { type: 'and', left, right: this.primary() };
    }
    return left;
  }

  private primary(): FilterNode {
    const tok = this.next();
    if (tok.t === 'lparen') {
      const inner = this.orExpr();
      const close = this.next();
      if (close.t !== 'rparen') throw new FilterError(`expected ')' but found ${describe(close)}`, close.pos);
      return inner;
    }
    if (tok.t !== 'word' || tok.text === 'and' || tok.text === 'or' || OPERATORS.has(tok.text)) {
      throw new FilterError(`expected a field name but found ${describe(tok)}`, tok.pos);
    }
    const opTok = this.next();
    if (opTok.t !== 'word' || !OPERATORS.has(opTok.text)) {
      throw new FilterError(`expected one of eq, ne, lt, le, gt, ge but found ${describe(opTok)}`, opTok.pos);
    }
    const valueTok = this.next();
    if (valueTok.t !== 'literal') {
      throw new FilterError(`expected a value but found ${describe(valueTok)}`, valueTok.pos);
    }
    const op = opTok.text as ComparisonOperator;
    if (valueTok.value.kind === 'null' && op !== 'eq' && op !== 'ne') {
      throw new FilterError(`'$NULL' can only be compared with eq or ne`, valueTok.pos);
    }
    return { type: 'compare', field: tok.text, op, value: valueTok.value };
  }
}

/** Parses a `$filter` expression into an AST; throws FilterError when it does not parse. */
export function parseFilter(text: string): FilterNode {
  return new Parser(tokenize(text)).parse();
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export type ValueType = 'string' | 'integer' | 'boolean' | 'datetime';
export type Scalar = string | number | boolean | null;
export type Row = Readonly<Record<string, Scalar>>;
export type RowPredicate = (row: Row) => boolean;

/** What the evaluator needs to know about the business object being filtered. */
export interface FilterSchema {
  /** The object's type name used in messages, e.g. `Incident`. */
  readonly typeName: string;
  /** Canonical field name for a name as written (field names are matched case-insensitively). */
  resolveField(name: string): string | undefined;
  typeOf(field: string): ValueType;
}

function ordered(op: ComparisonOperator, cmp: number): boolean {
  switch (op) {
    case 'eq':
      return cmp === 0;
    case 'ne':
      return cmp !== 0;
    case 'lt':
      return cmp < 0;
    case 'le':
      return cmp <= 0;
    case 'gt':
      return cmp > 0;
    case 'ge':
      return cmp >= 0;
  }
}

/** A field that holds nothing: `eq` and ordering fail, `ne` succeeds. */
function absent(op: ComparisonOperator): boolean {
  return op === 'ne';
}

function timeOf(value: Scalar): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

function compileCompare(node: Extract<FilterNode, { type: 'compare' }>, schema: FilterSchema): RowPredicate {
  const field = schema.resolveField(node.field);
  if (field === undefined) {
    throw new FilterError(`Could not find a property named '${node.field}' on type '${schema.typeName}'`);
  }
  const { op, value } = node;
  const type = schema.typeOf(field);

  if (value.kind === 'null') {
    const isNull = (row: Row): boolean => {
      const v = row[field];
      return v === null || v === undefined || v === '';
    };
    return op === 'eq' ? isNull : (row) => !isNull(row);
  }

  if (type === 'integer') {
    let n: number;
    if (value.kind === 'number') n = value.value;
    else if (value.kind === 'string' && value.value.trim() !== '' && Number.isFinite(Number(value.value))) n = Number(value.value);
    else throw new FilterError(`field '${field}' is a number and cannot be compared with ${literalText(value)}`);
    return (row) => {
      const v = row[field];
      if (typeof v !== 'number') return absent(op);
      return ordered(op, v < n ? -1 : v > n ? 1 : 0);
    };
  }

  if (type === 'boolean') {
    let b: boolean;
    if (value.kind === 'boolean') b = value.value;
    else if (value.kind === 'string' && /^(true|false)$/i.test(value.value)) b = value.value.toLowerCase() === 'true';
    else throw new FilterError(`field '${field}' is a boolean and cannot be compared with ${literalText(value)}`);
    const target = b ? 1 : 0;
    return (row) => {
      const v = row[field];
      if (typeof v !== 'boolean') return absent(op);
      return ordered(op, (v ? 1 : 0) - target);
    };
  }

  if (type === 'datetime') {
    let t: number;
    if (value.kind === 'datetime') t = value.time;
    else if (value.kind === 'string' && !Number.isNaN(Date.parse(value.value))) t = Date.parse(value.value);
    else throw new FilterError(`field '${field}' is a date and cannot be compared with ${literalText(value)}`);
    return (row) => {
      const v = timeOf(row[field] ?? null);
      if (Number.isNaN(v)) return absent(op);
      return ordered(op, v < t ? -1 : v > t ? 1 : 0);
    };
  }

  // String fields: text comparison, case-insensitive like ISM's collation. A bare number compares
  // numerically with a field that holds a number as text (Priority "3").
  if (value.kind === 'number') {
    const n = value.value;
    const text = value.text.toLowerCase();
    return (row) => {
      const v = row[field];
      if (v === null || v === undefined || v === '') return absent(op);
      const s = String(v);
      const asNumber = Number(s);
      if (s.trim() !== '' && Number.isFinite(asNumber)) return ordered(op, asNumber < n ? -1 : asNumber > n ? 1 : 0);
      return ordered(op, compareText(s.toLowerCase(), text));
    };
  }
  if (value.kind === 'datetime') {
    const t = value.time;
    return (row) => {
      const v = timeOf(row[field] ?? null);
      if (Number.isNaN(v)) return absent(op);
      return ordered(op, v < t ? -1 : v > t ? 1 : 0);
    };
  }
  const target = value.kind === 'boolean' ? String(value.value) : value.value.toLowerCase();
  if (op === 'eq' || op === 'ne') {
    const want = op === 'eq';
    return (row) => {
      const v = row[field];
      if (v === null || v === undefined) return !want;
      return (String(v).toLowerCase() === target) === want;
    };
  }
  return (row) => {
    const v = row[field];
    if (v === null || v === undefined || v === '') return absent(op);
    return ordered(op, compareText(String(v).toLowerCase(), target));
  };
}

/** Case-insensitive, accent-aware ordering for lt/le/gt/ge on text, like ISM's SQL collation. */
const textCollator = new Intl.Collator('en', { sensitivity: 'accent' });

function compareText(a: string, b: string): number {
  return textCollator.compare(a, b);
}

function literalText(value: FilterLiteral): string {
  switch (value.kind) {
    case 'string':
      return `'${value.value.replace(/'/g, "''")}'`;
    case 'number':
      return value.text;
    case 'datetime':
      return value.value;
    case 'boolean':
      return String(value.value);
    case 'null':
      return `'${NULL_TEXT}'`;
  }
}

/** Turns an AST into a predicate; throws FilterError for unknown fields or impossible comparisons. */
export function compileFilter(node: FilterNode, schema: FilterSchema): RowPredicate {
  if (node.type === 'compare') return compileCompare(node, schema);
  const left = compileFilter(node.left, schema);
  const right = compileFilter(node.right, schema);
  return node.type === 'and' ? (row) => left(row) && right(row) : (row) => left(row) || right(row);
}

/** Writes an AST back as filter text (fully parenthesised); handy in journals and messages. */
export function formatFilter(node: FilterNode): string {
  if (node.type === 'compare') return `${node.field} ${node.op} ${literalText(node.value)}`;
  return `(${formatFilter(node.left)} ${node.type} ${formatFilter(node.right)})`;
}

/** Quotes a value for use inside a filter, doubling single quotes. */
export function quoteFilterString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
