// A small stand-in for Go's `testing` package and testify, so the ported suites read like
// Flipt's originals: `t.run` is `t.Run` (a subtest), `t.assert.*` records a failure and goes
// on, `t.require.*` records it and stops that subtest only (Go's FailNow), and every call of
// either counts as one assertion in the suite's summary line.
import { isDeepStrictEqual, inspect } from 'node:util';

class Stop extends Error {}

export class Suite {
  constructor(name) {
    this.name = name;
    this.assertions = 0;
    this.passed = 0;
    this.subtests = 0;
    this.failedTests = [];
    this.skipped = [];
    this.skipReasons = new Map();
    this.divergences = [];
  }

  summary() {
    const failed = this.failedTests.length;
    return (
      `${this.name}: ${this.passed}/${this.assertions} assertions, ` +
      `${this.subtests - failed - this.skipped.length}/${this.subtests} tests passed` +
      (this.skipped.length ? `, ${this.skipped.length} skipped` : '') +
      (this.divergences.length ? `, ${this.divergences.length} documented divergence(s)` : '')
    );
  }
}

// Go's zero values: protojson leaves out a field that holds its type's zero value, so a
// field missing from a response reads as "", 0, false or an empty list, as it does in Go.
export const str = (v) => (v === undefined || v === null ? '' : v);
export const num = (v) => (v === undefined || v === null ? 0 : Number(v));
export const bool = (v) => (v === undefined || v === null ? false : v);
export const list = (v) => (v === undefined || v === null ? [] : v);

// A proto message compared as protocmp does: zero-valued fields count as absent.
export function normalize(value) {
  if (Array.isArray(value)) return value.length ? value.map(normalize) : undefined;
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const n = normalize(v);
      if (n !== undefined) out[k] = n;
    }
    return out;
  }
  if (value === '' || value === 0 || value === false || value === null) return undefined;
  return value;
}

// testify's ObjectsAreEqual-free emptiness: nil, a zero scalar, or a collection of length 0.
function isEmpty(v) {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v) || Buffer.isBuffer(v) || typeof v === 'string') return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

const show = (v) => inspect(v, { depth: 6, breakLength: 120 });

export class T {
  constructor(suite, name, parent) {
    this.suite = suite;
    this.name = parent ? `${parent.name}/${name.replace(/ /g, '_')}` : name;
    this.parent = parent;
    this.depth = parent ? parent.depth + 1 : 0;
    this.failed = false;
    this.skipped = false;
    this.output = [];
    this.assert = checks(this, false);
    this.require = checks(this, true);
  }

  log(...args) {
    this.output.push(args.join(' '));
  }

  fail(message, stop) {
    this.failed = true;
    for (let p = this.parent; p; p = p.parent) p.failed = true;
    this.output.push(`Error: ${message}`);
    if (stop) throw new Stop();
  }

  skip(reason) {
    this.skipped = true;
    this.suite.skipReasons.set(reason, (this.suite.skipReasons.get(reason) ?? 0) + 1);
    this.output.push(`SKIP: ${reason}`);
    throw new Stop();
  }

  // A documented divergence (README beside the port): its assertions count in the summary's
  // total but not as passed, and do not fail the test.
  divergence(message, assertions) {
    this.suite.assertions += assertions;
    this.suite.divergences.push(`${this.name}: ${message}`);
    this.output.push(`DIVERGENCE (documented): ${message}`);
  }

  async run(name, fn) {
    // Go names a repeated subtest name#01, #02, ...
    this.seen ??= new Map();
    const n = this.seen.get(name) ?? 0;
    this.seen.set(name, n + 1);
    const child = new T(this.suite, n ? `${name}#${String(n).padStart(2, '0')}` : name, this);
    this.suite.subtests += 1;
    const started = Date.now();
    try {
      await fn(child);
    } catch (error) {
      if (!(error instanceof Stop)) child.fail(`panic: ${error?.stack ?? error}`, false);
    }
    child.report(Date.now() - started);
    return !child.failed;
  }

  report(ms) {
    const pad = '    '.repeat(Math.max(0, this.depth - 1));
    const verdict = this.skipped ? 'SKIP' : this.failed ? 'FAIL' : 'PASS';
    if (this.failed && this.depth > 0) this.suite.failedTests.push(this.name);
    if (this.skipped) this.suite.skipped.push(this.name);
    console.log(`${pad}--- ${verdict}: ${this.name} (${(ms / 1000).toFixed(2)}s)`);
    for (const line of this.output) console.log(`${pad}        ${line.replace(/\n/g, `\n${pad}        `)}`);
  }
}

// The testify checks the suites use, by their Go names.
function checks(t, stop) {
  const count = (ok, message) => {
    t.suite.assertions += 1;
    if (ok) t.suite.passed += 1;
    else t.fail(message, stop);
    return ok;
  };
  const ctx = (m) => (m.length ? ` (${m.join(' ')})` : '');
  return {
    NoError: (err, ...m) => count(!err, `Received unexpected error: ${err?.message ?? err}${ctx(m)}`),
    Error: (err, ...m) => count(!!err, `An error is expected but got nil${ctx(m)}`),
    EqualError: (err, want, ...m) =>
      count(
        !!err && err.message === want,
        err ? `Error message not equal:\n  expected: ${show(want)}\n  actual  : ${show(err.message)}` : `An error is expected but got nil; want ${show(want)}`,
      ),
    Equal: (want, got, ...m) =>
      count(isDeepStrictEqual(want, got), `Not equal:\n  expected: ${show(want)}\n  actual  : ${show(got)}${ctx(m)}`),
    NotEqual: (a, b, ...m) => count(!isDeepStrictEqual(a, b), `Should not be: ${show(b)}${ctx(m)}`),
    // Two proto messages, compared as protocmp (zero values absent).
    ProtoEqual: (want, got, ...m) =>
      count(
        isDeepStrictEqual(normalize(want), normalize(got)),
        `Not equal (proto):\n  expected: ${show(normalize(want))}\n  actual  : ${show(normalize(got))}${ctx(m)}`,
      ),
    True: (v, ...m) => count(v === true, `Should be true${ctx(m)}`),
    False: (v, ...m) => count(v === false || v === undefined, `Should be false${ctx(m)}`),
    Len: (v, n, ...m) => count(list(v).length === n, `${show(v)} should have ${n} item(s), but has ${list(v).length}${ctx(m)}`),
    Empty: (v, ...m) => count(isEmpty(v), `Should be empty, but was ${show(v)}${ctx(m)}`),
    NotEmpty: (v, ...m) => count(!isEmpty(v), `Should NOT be empty, but was ${show(v)}${ctx(m)}`),
    Nil: (v, ...m) => count(v === undefined || v === null, `Expected nil, but got: ${show(v)}${ctx(m)}`),
    NotNil: (v, ...m) => count(v !== undefined && v !== null, `Expected value not to be nil${ctx(m)}`),
    Contains: (haystack, needle, ...m) => {
      const ok =
        typeof haystack === 'string'
          ? haystack.includes(needle)
          : Array.isArray(haystack)
            ? haystack.some((x) => isDeepStrictEqual(x, needle))
            : haystack && typeof haystack === 'object' && Object.hasOwn(haystack, needle);
      return count(!!ok, `${show(haystack)} does not contain ${show(needle)}${ctx(m)}`);
    },
    NotContains: (haystack, needle, ...m) => {
      const ok =
        typeof haystack === 'string'
          ? !haystack.includes(needle)
          : Array.isArray(haystack)
            ? !haystack.some((x) => isDeepStrictEqual(x, needle))
            : !(haystack && typeof haystack === 'object' && Object.hasOwn(haystack, needle));
      return count(ok, `${show(haystack)} should not contain ${show(needle)}${ctx(m)}`);
    },
    InDelta: (want, got, delta, ...m) =>
      count(Math.abs(Number(want) - num(got)) <= delta, `Max difference between ${want} and ${got} allowed is ${delta}${ctx(m)}`),
    Greater: (a, b, ...m) => count(a > b, `"${a}" is not greater than "${b}"${ctx(m)}`),
    GreaterOrEqual: (a, b, ...m) => count(a >= b, `"${a}" is not greater than or equal to "${b}"${ctx(m)}`),
    ElementsMatch: (a, b, ...m) => {
      const sa = list(a).map((x) => JSON.stringify(normalize(x))).sort();
      const sb = list(b).map((x) => JSON.stringify(normalize(x))).sort();
      return count(isDeepStrictEqual(sa, sb), `elements differ:\n  expected: ${show(a)}\n  actual  : ${show(b)}${ctx(m)}`);
    },
    Fail: (message) => count(false, message),
  };
}

// Runs one top-level test (Go's `func TestX(t *testing.T)`), printing Go-style results.
export async function runTest(suite, name, fn) {
  const t = new T(suite, name, null);
  const started = Date.now();
  try {
    await fn(t);
  } catch (error) {
    if (!(error instanceof Stop)) t.fail(`panic: ${error?.stack ?? error}`, false);
  }
  if (t.failed) suite.failedTests.push(name);
  suite.subtests += 1;
  t.report(Date.now() - started);
}
