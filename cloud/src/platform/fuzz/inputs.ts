/**
 * Hostile HTTP input for property tests of routes: random JSON (random keys, every value type, huge strings, deep
 * nesting, numbers JSON.stringify cannot write such as 1e309 and -0), mutations of a route's valid example (one
 * field dropped, retyped, pushed past its range, an extra field), hostile path segments and query strings, non-JSON
 * bytes and wrong content types. Also a sampler that builds a valid example from a route's JSON schema (the one
 * the OpenAPI document carries), taking fixture values by field name.
 */
import fc from 'fast-check';

/** A JSON literal written verbatim (numbers such as `1e309` that no JS value serialises to). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of `value`, with RawJson literals in place. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const HUGE = 'x'.repeat(200_000);

export const hostileStrings = [
  '',
  ' ',
  '\t\n',
  "' or '1'='1",
  '"; drop table sales; --',
  '../../etc/passwd',
  '\u0000',
  '\ud800',
  '𠜎𠜱😀',
  '١٢٣',
  '１２３',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  ' 42 ',
  'true',
  '<script>alert(1)</script>',
  '2026-02-30',
  '2026-13-01',
  '99:99',
  '9'.repeat(400),
  'ü'.repeat(70),
  HUGE,
] as const;

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

export const hostileNumber: fc.Arbitrary<number | RawJson> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1.5,
    2 ** 31,
    2 ** 53,
    -(2 ** 53),
    Number.MAX_SAFE_INTEGER + 2,
    1e21,
    Number.MIN_VALUE,
    new RawJson('1e309'),
    new RawJson('-1e309'),
    new RawJson('-0'),
    new RawJson('1e-400'),
    new RawJson('123456789012345678901234567890'),
    new RawJson('1.0'),
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Random JSON values; `keys` are tried as object keys alongside random ones. */
export function jsonValue(keys: readonly string[] = []): fc.Arbitrary<unknown> {
  const key = fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ...keys),
    fc.string({ maxLength: 12 }),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      hostileNumber,
      hostileString,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(key, tie('value'), { maxKeys: 6 }),
    ),
  }));
  return value;
}

/** Nesting deep enough to trouble a recursive parser or validator. */
export const deepJson = fc.constantFrom(
  new RawJson(`${'['.repeat(5_000)}${']'.repeat(5_000)}`),
  new RawJson(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`),
  new RawJson(`${'['.repeat(200_000)}${']'.repeat(200_000)}`),
);

/** A raw request body with its content type (`undefined`: no content-type header). */
export interface RawBody {
  readonly contentType: string | undefined;
  readonly payload: string | Buffer;
}

const oversize = `{"a":"${'x'.repeat(1_100_000)}"}`;

export const rawBodies: fc.Arbitrary<RawBody> = fc.oneof(
  fc.constantFrom<RawBody>(
    { contentType: 'application/json', payload: '' },
    { contentType: 'application/json', payload: '{' },
    { contentType: 'application/json', payload: 'not json' },
    { contentType: 'application/json', payload: '{"a":1}garbage' },
    { contentType: 'application/json', payload: "{'a':1}" },
    { contentType: 'application/json', payload: '\ufeff{}' },
    { contentType: 'application/json', payload: '{"__proto__":{"admin":true}}' },
    { contentType: 'application/json', payload: '{"constructor":{"prototype":{"admin":true}}}' },
    { contentType: 'application/json', payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
    { contentType: 'application/json', payload: oversize },
    { contentType: 'application/json; charset=utf-16', payload: '{}' },
    { contentType: 'application/json; charset=latin1', payload: '{}' },
    { contentType: 'application/vnd.api+json', payload: '{}' },
    { contentType: 'text/plain', payload: 'hello' },
    { contentType: 'text/html', payload: '<p>' },
    { contentType: 'application/x-www-form-urlencoded', payload: 'a=1&b=2' },
    { contentType: 'multipart/form-data; boundary=x', payload: '--x\r\n\r\n--x--' },
    { contentType: 'application/xml', payload: '<a/>' },
    { contentType: 'application/octet-stream', payload: Buffer.from([0, 1, 2, 255]) },
    { contentType: ';;;', payload: '{}' },
    { contentType: 'application/json', payload: 'null' },
    { contentType: 'application/json', payload: '"string"' },
    { contentType: 'application/json', payload: '12' },
    { contentType: 'application/json', payload: '[]' },
    { contentType: undefined, payload: '{}' },
  ),
  fc
    .uint8Array({ maxLength: 64 })
    .map((bytes) => ({ contentType: 'application/json', payload: Buffer.from(bytes) })),
  fc.string({ maxLength: 64 }).map((text) => ({ contentType: 'application/json', payload: text })),
);

/** Percent-encodes the UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD, where encodeURIComponent throws). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Path segments as they appear in the URL: encoded, or deliberately malformed. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '1.5',
    '1e3',
    '+1',
    '0x1F',
    '99999999999999999999999',
    '9007199254740993',
    'NaN',
    'null',
    '%20',
    "1'%20OR%20'1'%3D'1",
    '..',
    '%2e%2e',
    '%2F',
    '%00',
    '%E0%A4%A',
    '%ZZ',
    '%C3%BC',
    '%F0%9F%98%80',
    '%D9%A1',
    'x'.repeat(600),
  ),
  fc.string({ maxLength: 30 }).map(percentEncode),
  fc.string({ unit: 'grapheme', maxLength: 10 }).map(percentEncode),
);

/** Query values as they appear in the URL. */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  hostileSegment,
  hostileString.map((s) => percentEncode(s.length > 5_000 ? s.slice(0, 5_000) : s)),
  fc.constantFrom('', '-0', '1e309', '-1', '0.5', '%', '%zz', '2**53', '9'.repeat(40)),
);

// ---------------------------------------------------------------------------------------------------------------
// Valid examples from JSON schema, and mutations of them.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
}

/** Field name → value used wherever a schema field of that name and type appears. */
export type Fixtures = Readonly<Record<string, unknown>>;

const KNOWN_PATTERNS: Record<string, string> = {
  '^[A-Za-z0-9][A-Za-z0-9_.-]*$': 'fz1',
  '^[a-z][a-z0-9_]{1,31}$': 'fz_sample',
};

function typeOf(schema: JsonSchema): string | undefined {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (t) return t;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

function fits(schema: JsonSchema, value: unknown): boolean {
  const t = typeOf(schema);
  if (t === undefined) return true;
  if (t === 'integer' || t === 'number') return typeof value === 'number';
  if (t === 'array') return Array.isArray(value);
  if (t === 'object') return value !== null && typeof value === 'object' && !Array.isArray(value);
  return typeof value === t;
}

/** A value the schema accepts (required members only), fixtures taken by field name where their type fits. */
export function sampleFromSchema(schema: JsonSchema, fixtures: Fixtures, name?: string): unknown {
  if (name !== undefined && name in fixtures && fits(schema, fixtures[name])) return fixtures[name];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const alternative = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (alternative) return sampleFromSchema(alternative, fixtures, name);
  if (schema.allOf?.length) return sampleFromSchema(Object.assign({}, ...schema.allOf), fixtures, name);
  if (schema.default !== undefined) return schema.default;
  switch (typeOf(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        const member = schema.properties?.[key];
        if (member) out[key] = sampleFromSchema(member, fixtures, key);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(schema.minItems ?? 0, 0);
      return Array.from({ length: n }, () => sampleFromSchema(schema.items ?? {}, fixtures));
    }
    case 'string': {
      if (schema.format === 'date' && typeof fixtures.date === 'string') return fixtures.date;
      if (schema.pattern && KNOWN_PATTERNS[schema.pattern]) return KNOWN_PATTERNS[schema.pattern];
      const length = Math.min(Math.max(schema.minLength ?? 0, 4), schema.maxLength ?? 64);
      return 'fzxy'.repeat(Math.ceil(length / 4)).slice(0, length);
    }
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum === undefined ? 1 : schema.exclusiveMinimum + 1);
      return Math.min(Math.max(low, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case 'boolean':
      return true;
    default:
      return null;
  }
}

/** Every top-level and nested property name in a schema (used as likely keys in random bodies). */
export function propertyNames(schema: JsonSchema | undefined, into = new Set<string>()): string[] {
  if (!schema) return [...into];
  for (const [key, member] of Object.entries(schema.properties ?? {})) {
    into.add(key);
    propertyNames(member, into);
  }
  for (const s of [schema.items, ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) propertyNames(s, into);
  return [...into];
}

type Path = readonly (string | number)[];

function pathsOf(value: unknown, at: Path = []): Path[] {
  const paths: Path[] = [at];
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      paths.push(...pathsOf(v, [...at, Array.isArray(value) ? Number(k) : k]));
  }
  return paths;
}

function get(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], value);
}

function withAt(value: unknown, path: Path, change: (current: unknown) => unknown | typeof DROP): unknown {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...value];
    const next = withAt(copy[head as number], rest, change);
    if (next === DROP) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  const next = withAt(copy[head as string], rest, change);
  if (next === DROP) delete copy[head as string];
  else copy[head as string] = next;
  return copy;
}

const DROP = Symbol('drop');

/** Values just outside what a field of the current value's kind usually accepts. */
function boundaryFor(current: unknown): fc.Arbitrary<unknown> {
  if (typeof current === 'number')
    return fc.constantFrom(
      current - 1,
      current + 0.5,
      -current,
      0,
      -1,
      2 ** 53,
      1e12,
      String(current),
      new RawJson('1e309'),
      new RawJson('-0'),
    );
  if (typeof current === 'string')
    return fc.constantFrom('', ' ', `${current} `, current.repeat(40), `${current}\u0000`, HUGE, 7, ['x']);
  if (typeof current === 'boolean') return fc.constantFrom(String(current), current ? 1 : 0, null);
  if (Array.isArray(current))
    return fc.constantFrom([], Array(10_001).fill(current[0] ?? 1), [null], [current], {});
  if (current !== null && typeof current === 'object') return fc.constantFrom({}, [], [current], 'object');
  return fc.constantFrom(0, '', {}, []);
}

/** Mutations of one valid example: one node dropped, replaced by junk, pushed past a bound, or joined by junk. */
export function mutationsOf(valid: unknown, keys: readonly string[] = []): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  const path = fc.constantFrom(...paths);
  const inner = paths.filter((p) => p.length > 0);
  return fc.oneof(
    fc
      .constantFrom(...(inner.length ? inner : [[]]))
      .map((p) => (p.length ? withAt(valid, p, () => DROP) : [])),
    fc.tuple(path, jsonValue(keys)).map(([p, junk]) => withAt(valid, p, () => junk)),
    path.chain((p) => boundaryFor(get(valid, p)).map((v) => withAt(valid, p, () => v))),
    fc
      .tuple(path, fc.oneof(fc.constantFrom(...keys, 'extra'), fc.string()), jsonValue())
      .map(([p, k, junk]) =>
        withAt(valid, p, (current) =>
          current !== null && typeof current === 'object' && !Array.isArray(current)
            ? { ...current, [k]: junk }
            : Array.isArray(current)
              ? [...current, junk]
              : null,
        ),
      ),
  );
}
