import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { EVIDENCE_VERIFIER } from '../audit/evidence-verifier.js';
import { canonicalJson } from './canonical-json.js';

// The hash chain is only as good as its canonical form: an auditor recomputes it with
// verify.mjs (a copy of this function in plain JavaScript) or with any RFC 8785 (JCS)
// implementation. For JSON values, which is all an event holds, the three must agree.

/** The `canonicalJson` inside the verify.mjs that ships with every evidence export. */
function verifierCanonicalJson(): (value: unknown) => string {
  const start = EVIDENCE_VERIFIER.indexOf('function canonicalJson(value) {');
  const end = EVIDENCE_VERIFIER.indexOf('\n}\n', start);
  if (start < 0 || end < 0) throw new Error('verify.mjs no longer defines canonicalJson(value)');
  const source = EVIDENCE_VERIFIER.slice(start, end + 2);
  return new Function(`${source}\nreturn canonicalJson;`)() as (value: unknown) => string;
}

const shipped = verifierCanonicalJson();

/** JSON values as events carry them, including keys and strings outside the BMP and lone surrogates. */
const jsonValue = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });

function shuffledCopy(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, i) => shuffledCopy(item, seed + i));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const rotated = entries.map((_, i) => entries[(i + seed) % entries.length]).reverse();
    return Object.fromEntries(rotated.map(([key, member], i) => [key, shuffledCopy(member, seed + i)]));
  }
  return value;
}

describe('canonicalJson', () => {
  it('writes every JSON value exactly as RFC 8785 (canonicalize) does', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 500 },
    );
  });

  it('writes every JSON value exactly as the verify.mjs given to outsiders does', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3, withNullPrototype: false, withBoxedValues: false, withMap: false, withSet: false, withObjectString: false, withTypedArray: false, withSparseArray: false, withDate: false, withBigInt: false }).filter((value) => {
        try {
          canonicalJson(value);
          return true;
        } catch {
          return false;
        }
      }), (value) => {
        expect(shipped(value)).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
    fc.assert(fc.property(jsonValue, (value) => expect(shipped(value)).toBe(canonicalJson(value))), { numRuns: 300 });
  });

  it('does not depend on the order members were written in', () => {
    fc.assert(
      fc.property(jsonValue, fc.nat(50), (value, seed) => {
        expect(canonicalJson(shuffledCopy(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it('reads back as the same value, and is its own canonical form', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(text).not.toMatch(/^\s|\s$/);
      }),
    );
  });

  it('leaves out undefined members and writes an undefined array element as null, as JSON.stringify does', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [undefined, 2] })).toBe('{"b":1,"c":[null,2]}');
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.constant(undefined)), jsonValue, (noise, value) => {
        const wrapped = { ...noise, value };
        expect(canonicalJson(wrapped)).toBe(canonicalJson({ value }));
      }),
    );
  });

  it('sorts keys by UTF-16 code units, not by code points or locale', () => {
    // U+FF61 sorts after U+1F600's high surrogate (0xD83D) in UTF-16, before it by code point.
    expect(canonicalJson({ '\u{1F600}': 1, '\uFF61': 2, a: 3, B: 4 })).toBe('{"B":4,"a":3,"\u{1F600}":1,"\uFF61":2}');
  });

  it('refuses what JSON cannot hold instead of writing something else', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => canonicalJson({ amount: bad })).toThrow(TypeError);
    }
    expect(() => canonicalJson({ at: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });

  it('writes numbers in their shortest round-trip form, negative zero as 0', () => {
    expect(canonicalJson([1e21, 1e-7, 0.1 + 0.2, -0, 100, 5e-324])).toBe('[1e+21,1e-7,0.30000000000000004,0,100,5e-324]');
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => expect(canonicalJson(n)).toBe(canonicalize(n))));
  });
});
