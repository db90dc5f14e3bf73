/**
 * Faults on demand: scripted ("the next 2 GETs on employees answer 503") or random with a seeded
 * generator, so a failing run can be replayed exactly. The request handler asks `next()` once
 * per API request and carries out whatever it returns.
 */

export type FaultStatus = 429 | 500 | 502 | 503 | 504;
export type FaultBody = 'json' | 'html' | 'echo-headers';
/**
 * The error bodies a tenant (or something in front of it) has been seen to send with a 2xx
 * status: `{"Errors": [...]}`, ISM's own `{code, description, message}` with an error code,
 * the OData `{"error": {...}}`, and ASP.NET's `{"Message", "ExceptionMessage"}`.
 */
export type ErrorBodyShape = 'errors' | 'ism' | 'odata' | 'exception';
export const ERROR_BODY_SHAPES: readonly ErrorBodyShape[] = ['errors', 'ism', 'odata', 'exception'];

export type FaultSpec =
  /** Wait, then answer normally. */
  | { kind: 'latency'; ms: number }
  /** Never answer; the socket stays open until the client gives up or the simulator closes. */
  | { kind: 'hang' }
  /** Answer with an error status instead of handling the request (nothing is applied). */
  | { kind: 'status'; status: FaultStatus; retryAfter?: number; body?: FaultBody }
  /** Destroy the connection before the request is applied. */
  | { kind: 'reset-before' }
  /** Apply the request fully, then destroy the connection without answering. */
  | { kind: 'reset-after' }
  /** Apply the request, then answer 200 with a truncated JSON body. */
  | { kind: 'invalid-json' }
  /** Apply the request, then answer 200 with no body at all. */
  | { kind: 'empty-body' }
  /** Answer 200 (or 201) with an error body instead of handling the request (nothing is applied). */
  | { kind: 'error-body'; shape: ErrorBodyShape; status?: 200 | 201 }
  /** Answer 200 with a JSON body of `bytes` bytes, streamed (nothing is applied). */
  | { kind: 'oversized'; bytes: number };

export type FaultKind = FaultSpec['kind'];

export const FAULT_KINDS: readonly FaultKind[] = ['latency', 'hang', 'status', 'reset-before', 'reset-after', 'invalid-json', 'empty-body', 'error-body', 'oversized'];
/** What random faults choose from unless told: the kinds a seed has always drawn from. */
const RANDOM_KINDS: readonly FaultKind[] = ['latency', 'status', 'reset-before', 'reset-after', 'invalid-json', 'empty-body'];
const FAULT_STATUSES: readonly FaultStatus[] = [429, 500, 502, 503, 504];

export interface FaultRule {
  /** HTTP method to match, or `*` (default). */
  method?: string;
  /** Collection to match case-insensitively (`incidents`, `journal__notess`, `ci__computers`, ..., `attachment` for uploads), or `*` (default). */
  set?: string;
  /** How many matching requests get the fault (default 1); `'always'` keeps it until cleared. */
  times?: number | 'always';
  fault: FaultSpec;
}

export interface RandomFaultOptions {
  seed: number;
  /** Probability (0..1) that a matching request gets a fault. */
  rate: number;
  /** Faults to choose from; a bare kind gets default parameters. Default: latency, status, resets, invalid JSON, empty body. */
  kinds?: Array<FaultKind | FaultSpec>;
  method?: string;
  set?: string;
}

export type FaultCounts = Record<FaultKind, number> & { total: number };

export interface FaultState {
  scripted: Array<FaultRule & { remaining: number | 'always' }>;
  random: RandomFaultOptions | null;
  counts: FaultCounts;
}

/** Checks an untrusted fault description (admin route, CLI) and returns it typed. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (typeof value !== 'object' || value === null) throw new Error('a fault must be an object with a "kind"');
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'latency':
      if (typeof v.ms !== 'number' || !(v.ms >= 0)) throw new Error('latency fault: "ms" must be a non-negative number');
      return { kind: 'latency', ms: v.ms };
    case 'status': {
      if (!FAULT_STATUSES.includes(v.status as FaultStatus)) throw new Error(`status fault: "status" must be one of ${FAULT_STATUSES.join(', ')}`);
      const spec: FaultSpec = { kind: 'status', status: v.status as FaultStatus };
      if (v.retryAfter !== undefined) {
        if (typeof v.retryAfter !== 'number' || !(v.retryAfter >= 0)) throw new Error('status fault: "retryAfter" must be a non-negative number of seconds');
        spec.retryAfter = v.retryAfter;
      }
      if (v.body !== undefined) {
        if (v.body !== 'json' && v.body !== 'html' && v.body !== 'echo-headers') throw new Error('status fault: "body" must be json, html or echo-headers');
        spec.body = v.body;
      }
      return spec;
    }
    case 'error-body': {
      if (!ERROR_BODY_SHAPES.includes(v.shape as ErrorBodyShape)) throw new Error(`error-body fault: "shape" must be one of ${ERROR_BODY_SHAPES.join(', ')}`);
      if (v.status !== undefined && v.status !== 200 && v.status !== 201) throw new Error('error-body fault: "status" must be 200 or 201');
      return { kind: 'error-body', shape: v.shape as ErrorBodyShape, ...(v.status !== undefined ? { status: v.status as 200 | 201 } : {}) };
    }
    case 'oversized':
      if (typeof v.bytes !== 'number' || !Number.isSafeInteger(v.bytes) || v.bytes < 32) throw new Error('oversized fault: "bytes" must be a whole number of at least 32');
      return { kind: 'oversized', bytes: v.bytes };
    case 'hang':
    case 'reset-before':
    case 'reset-after':
    case 'invalid-json':
    case 'empty-body':
      return { kind: v.kind };
    default:
      throw new Error(`unknown fault kind ${JSON.stringify(v.kind)}; expected one of ${FAULT_KINDS.join(', ')}`);
  }
}

export function parseFaultRule(value: unknown): FaultRule {
  if (typeof value !== 'object' || value === null) throw new Error('a fault rule must be an object with a "fault"');
  const v = value as Record<string, unknown>;
  const rule: FaultRule = { fault: parseFaultSpec(v.fault) };
  if (v.method !== undefined) {
    if (typeof v.method !== 'string') throw new Error('"method" must be a string');
    rule.method = v.method;
  }
  if (v.set !== undefined) {
    if (typeof v.set !== 'string') throw new Error('"set" must be a string');
    rule.set = v.set;
  }
  if (v.times !== undefined) {
    if (v.times !== 'always' && (typeof v.times !== 'number' || !Number.isInteger(v.times) || v.times < 1)) {
      throw new Error('"times" must be a positive integer or "always"');
    }
    rule.times = v.times;
  }
  return rule;
}

export function parseRandomFaults(value: unknown): RandomFaultOptions {
  if (typeof value !== 'object' || value === null) throw new Error('random faults need an object with "seed" and "rate"');
  const v = value as Record<string, unknown>;
  if (typeof v.seed !== 'number' || !Number.isFinite(v.seed)) throw new Error('"seed" must be a number');
  if (typeof v.rate !== 'number' || !(v.rate >= 0 && v.rate <= 1)) throw new Error('"rate" must be a number from 0 to 1');
  const options: RandomFaultOptions = { seed: v.seed, rate: v.rate };
  if (v.kinds !== undefined) {
    if (!Array.isArray(v.kinds) || v.kinds.length === 0) throw new Error('"kinds" must be a non-empty list');
    options.kinds = v.kinds.map((k) => {
      if (typeof k === 'string') {
        if (!FAULT_KINDS.includes(k as FaultKind)) throw new Error(`unknown fault kind ${JSON.stringify(k)}`);
        return k as FaultKind;
      }
      return parseFaultSpec(k);
    });
  }
  if (typeof v.method === 'string') options.method = v.method;
  if (typeof v.set === 'string') options.set = v.set;
  return options;
}

/** mulberry32: small, fast and good enough to pick faults reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(pattern: string | undefined, actual: string | undefined): boolean {
  if (pattern === undefined || pattern === '*') return true;
  return actual !== undefined && pattern.toLowerCase() === actual.toLowerCase();
}

function emptyCounts(): FaultCounts {
  return { latency: 0, hang: 0, status: 0, 'reset-before': 0, 'reset-after': 0, 'invalid-json': 0, 'empty-body': 0, 'error-body': 0, oversized: 0, total: 0 };
}

export class FaultController {
  private rules: Array<{ rule: FaultRule; remaining: number }> = [];
  private randomOptions: RandomFaultOptions | null = null;
  private draw: (() => number) | null = null;
  private tally: FaultCounts = emptyCounts();

  /** Queues faults for the next matching requests; rules are tried in the order given. */
  script(rules: FaultRule | FaultRule[]): void {
    for (const rule of Array.isArray(rules) ? rules : [rules]) {
      const checked = parseFaultRule(rule);
      this.rules.push({ rule: checked, remaining: checked.times === 'always' ? Infinity : (checked.times ?? 1) });
    }
  }

  /** Gives each matching request a fault with probability `rate`, drawn from a PRNG seeded with `seed`. */
  random(options: RandomFaultOptions): void {
    this.randomOptions = parseRandomFaults(options);
    this.draw = prng(this.randomOptions.seed);
  }

  /** Removes scripted and random faults (the counters stay; see resetCounts). */
  clear(): void {
    this.rules = [];
    this.randomOptions = null;
    this.draw = null;
  }

  resetCounts(): void {
    this.tally = emptyCounts();
  }

  counts(): FaultCounts {
    return { ...this.tally };
  }

  state(): FaultState {
    return {
      scripted: this.rules.map(({ rule, remaining }) => ({ ...rule, remaining: remaining === Infinity ? 'always' : remaining })),
      random: this.randomOptions ? { ...this.randomOptions } : null,
      counts: this.counts(),
    };
  }

  /** The fault for this request, if any (and counts it). */
  next(method: string, set: string | undefined): FaultSpec | undefined {
    if (this.rules.length === 0 && this.draw === null) return undefined;
    for (let i = 0; i < this.rules.length; i++) {
      const entry = this.rules[i] as { rule: FaultRule; remaining: number };
      if (!matches(entry.rule.method, method) || !matches(entry.rule.set, set)) continue;
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.rules.splice(i, 1);
      return this.count(entry.rule.fault);
    }
    const options = this.randomOptions;
    const draw = this.draw;
    if (options && draw && matches(options.method, method) && matches(options.set, set) && draw() < options.rate) {
      const kinds = options.kinds ?? RANDOM_KINDS;
      const pick = kinds[Math.floor(draw() * kinds.length)] ?? 'status';
      return this.count(typeof pick === 'string' ? this.defaults(pick, draw) : pick);
    }
    return undefined;
  }

  private defaults(kind: FaultKind, draw: () => number): FaultSpec {
    switch (kind) {
      case 'latency':
        return { kind, ms: 50 + Math.floor(draw() * 450) };
      case 'status': {
        const status = FAULT_STATUSES[Math.floor(draw() * FAULT_STATUSES.length)] ?? 503;
        return status === 429 || status === 503 ? { kind, status, retryAfter: 1 } : { kind, status };
      }
      case 'error-body':
        return { kind, shape: ERROR_BODY_SHAPES[Math.floor(draw() * ERROR_BODY_SHAPES.length)] ?? 'errors' };
      case 'oversized':
        return { kind, bytes: 1024 * 1024 };
      default:
        return { kind };
    }
  }

  private count(fault: FaultSpec): FaultSpec {
    this.tally[fault.kind] += 1;
    this.tally.total += 1;
    return fault;
  }
}
