// fast-check arbitraries for the hostile-input suite (hostile-input.test.ts): strings with control, bidi and
// NUL characters, overlong strings, wrong types, negative and overflowing amounts, duplicated fields, deep
// nesting and oversized bodies. Field names and plausible values come from the caller (harvested from the
// running app), so a request gets past the first check often enough to reach the deeper ones.
import fc from 'fast-check';

/** C0/C1 controls, NUL, DEL and the Unicode line separators. */
const CONTROL_CHARS = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u000c',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
];
/** Bidirectional overrides and isolates, marks, zero-width characters and the BOM. */
const BIDI_CHARS = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
  '\u200b',
  '\u200d',
  '\ufeff',
];

const SPECIAL_STRINGS = [
  '',
  ' ',
  '  \t ',
  '0',
  '-0',
  '-1',
  '00000000',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '9'.repeat(40),
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../../etc/passwd',
  '..%2f..%2f',
  '%00',
  '%',
  '%zz',
  '%C0%AF',
  '\\',
  '//evil.example',
  'javascript:alert(1)',
  'data:text/html,x',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '{{constructor.constructor("x")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as literal text
  '${7*7}',
  '#{7*7}',
  '\ud800',
  '\udfff',
  '\ud83d',
  '😀',
  '𝟘𝟙𝟚',
  'ﬀ',
  'İ',
  'ß',
  '한글',
  '０１２３',
  '١٢٣',
  'Ａ',
  '\u0301',
  'e\u0301',
  'admin@portal.example',
  'a@b',
  '@',
  'x'.repeat(255),
  'http://localhost:8080/callback',
  'https://callback.example/x?y=1#z',
];

const withInjected = fc
  .tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...CONTROL_CHARS, ...BIDI_CHARS), fc.string({ maxLength: 12 }))
  .map(([a, c, b]) => `${a}${c}${b}`);

/** A string meant to break parsers, validators, templates and SQL. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 4, arbitrary: withInjected },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 300, max: 20_000 })
      .chain((n) => fc.constantFrom('x', '가', '\u202e', '0', '%').map((c) => c.repeat(n))),
  },
);

/** Amounts and counts that are negative, fractional, huge or past what 64 bits hold. */
const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    1,
    0.5,
    -0.01,
    1e-300,
    2 ** 31,
    2 ** 31 - 1,
    -(2 ** 31),
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63,
    -(2 ** 63),
    2 ** 64,
    1e21,
    1e308,
    -1e308,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Literal JSON number texts that JSON.stringify never writes (they parse to Infinity, -0, precision loss). */
const RAW_NUMBER_LITERALS = [
  '1e999',
  '-1e999',
  '-0',
  '123456789012345678901234567890',
  '0.00000000000000000000000001',
  '1E+400',
  '9007199254740993',
];

/** A value of any JSON type, hostile at every level (small nesting here; deep nesting is its own body kind). */
export function hostileValue(fieldName: fc.Arbitrary<string>, plausible: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    { weight: 4, arbitrary: hostileString },
    { weight: 3, arbitrary: plausible },
    { weight: 2, arbitrary: hostileNumber },
    { weight: 1, arbitrary: plausible.map((s) => (/^-?\d+$/.test(s) ? Number(s) : s)) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { weight: 8, arbitrary: leaf },
      { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
      {
        weight: 1,
        arbitrary: fc
          .array(fc.tuple(fieldName, tie('value')), { maxLength: 3 })
          .map((pairs) => Object.fromEntries(pairs)),
      },
    ),
  })).value;
}

/** JSON text of an object from key/value pairs: keys may repeat (duplicated fields), numbers may be raw literals. */
function jsonObjectText(
  pairs: readonly (readonly [string, unknown])[],
  rawNumbers: readonly (string | null)[] = [],
): string {
  return `{${pairs.map(([k, v], i) => `${JSON.stringify(k)}:${rawNumbers[i] ?? JSON.stringify(v) ?? 'null'}`).join(',')}}`;
}

/** `depth` levels of nesting: arrays, objects, or both alternating. */
function deeplyNested(depth: number, shape: 'array' | 'object' | 'mixed'): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const arr = shape === 'array' || (shape === 'mixed' && i % 2 === 0);
    open += arr ? '[' : '{"a":';
    close = (arr ? ']' : '}') + close;
  }
  return `${open}1${close}`;
}

export type BodySpec =
  | { kind: 'none' }
  | { kind: 'json'; pairs: [string, unknown][]; raw: (string | null)[]; contentType: string }
  | { kind: 'json-value'; value: unknown }
  | { kind: 'form'; pairs: [string, string][] }
  | { kind: 'deep'; depth: number; shape: 'array' | 'object' | 'mixed'; asForm: boolean }
  | { kind: 'huge'; bytes: number; contentType: string }
  | { kind: 'garbage'; text: string; contentType: string };

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/JSON',
  'application/vnd.api+json',
  'text/json',
];
const OTHER_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  '',
  'application/json;;',
  'image/png',
  'text/html; charset=\u0000',
];

export function bodySpec(fieldName: fc.Arbitrary<string>, plausible: fc.Arbitrary<string>): fc.Arbitrary<BodySpec> {
  const value = hostileValue(fieldName, plausible);
  const formValue = fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 3, arbitrary: plausible });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<BodySpec>({ kind: 'none' }) },
    {
      weight: 8,
      arbitrary: fc
        .array(fc.tuple(fieldName, value, fc.option(fc.constantFrom(...RAW_NUMBER_LITERALS), { freq: 8 })), {
          maxLength: 8,
        })
        .chain((rows) =>
          fc.constantFrom(...JSON_TYPES, 'application/json', 'application/json').map(
            (contentType): BodySpec => ({
              kind: 'json',
              pairs: rows.map(([k, v]) => [k, v]),
              raw: rows.map(([, , r]) => r),
              contentType,
            }),
          ),
        ),
    },
    { weight: 1, arbitrary: value.map((v): BodySpec => ({ kind: 'json-value', value: v })) },
    {
      weight: 8,
      arbitrary: fc
        .array(fc.tuple(fieldName, formValue), { maxLength: 8 })
        .map((pairs): BodySpec => ({ kind: 'form', pairs })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          depth: fc.integer({ min: 20, max: 20_000 }),
          shape: fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
          asForm: fc.boolean(),
        })
        .map((d): BodySpec => ({ kind: 'deep', ...d })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          bytes: fc.integer({ min: 200_000, max: 1_300_000 }),
          contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain'),
        })
        .map((h): BodySpec => ({ kind: 'huge', ...h })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({
          text: fc.oneof(
            hostileString,
            fc.constantFrom(
              '{',
              '{"a":',
              '[1,2',
              '{"a":1}}',
              'a=1&a',
              '=&=&',
              '%%%',
              '\u0000',
              '{"__proto__":{"x":1}}',
              '{"constructor":{"prototype":{"x":1}}}',
              '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
            ),
          ),
          contentType: fc.constantFrom(...JSON_TYPES, ...OTHER_TYPES),
        })
        .map((g): BodySpec => ({ kind: 'garbage', ...g })),
    },
  );
}

/** The request body text and content type for a spec (`extra`: fields every request of its actor carries, e.g. _csrf). */
export function renderBody(spec: BodySpec, extra: [string, string][]): { payload?: string; contentType?: string } {
  switch (spec.kind) {
    case 'none':
      return extra.length
        ? { payload: new URLSearchParams(extra).toString(), contentType: 'application/x-www-form-urlencoded' }
        : {};
    case 'json':
      return {
        payload: jsonObjectText([...extra, ...spec.pairs], [...extra.map(() => null), ...spec.raw]),
        contentType: spec.contentType,
      };
    case 'json-value':
      return { payload: JSON.stringify(spec.value) ?? 'null', contentType: 'application/json' };
    case 'form': {
      const body = new URLSearchParams([...extra, ...spec.pairs]);
      return { payload: body.toString(), contentType: 'application/x-www-form-urlencoded' };
    }
    case 'deep': {
      const nested = deeplyNested(spec.depth, spec.shape);
      if (spec.asForm) {
        const key = `${'a'.padEnd(2, '[')}${'[b]'.repeat(Math.min(spec.depth, 5000))}`;
        return {
          payload: `${new URLSearchParams(extra).toString()}&${key}=1`,
          contentType: 'application/x-www-form-urlencoded',
        };
      }
      return {
        payload: extra.length
          ? `{${extra.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')},"x":${nested}}`
          : nested,
        contentType: 'application/json',
      };
    }
    case 'huge':
      if (spec.contentType === 'application/json')
        return {
          payload: JSON.stringify({ ...Object.fromEntries(extra), x: 'x'.repeat(spec.bytes) }),
          contentType: spec.contentType,
        };
      return {
        payload: `${new URLSearchParams(extra).toString()}&x=${'y'.repeat(spec.bytes)}`,
        contentType: spec.contentType,
      };
    case 'garbage':
      return { payload: spec.text, contentType: spec.contentType || undefined };
  }
}
