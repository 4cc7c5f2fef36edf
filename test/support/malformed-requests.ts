import fc from 'fast-check';

/**
 * Generators of malformed HTTP requests for the bad-input suite. Each endpoint is described
 * by a body it accepts and the kind of each field; every generator breaks exactly one thing
 * in that valid request and says which documented refusal (status and code) it must meet,
 * so an answer of any other kind means a check was skipped or reordered.
 */

export type FieldKind =
  | { readonly kind: 'text'; readonly max: number }
  | { readonly kind: 'code' }
  | { readonly kind: 'date' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'pounds'; readonly min: number }
  | { readonly kind: 'decimal'; readonly min: number; readonly max: number }
  | { readonly kind: 'bool' }
  | { readonly kind: 'tags' }
  | { readonly kind: 'codes' }
  | { readonly kind: 'period' }
  | { readonly kind: 'deadlines' }
  | { readonly kind: 'object' };

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldKind;
  readonly optional?: boolean;
}

export interface EndpointSpec {
  /** `POST /api/departments/:code/assessment`, as the router lists it. */
  readonly route: string;
  readonly fields: readonly FieldSpec[];
  /** A body the endpoint accepts for the target the suite prepares (the suite proves it). */
  readonly valid: Readonly<Record<string, unknown>>;
  /** Path parameters: a good value each, and malformed ones with the refusal each meets. */
  readonly params?: Readonly<Record<string, PathParam>>;
  /** A refusal particular to this endpoint for a well-formed body (else validation-failed). */
  readonly refusalOf?: (body: Readonly<Record<string, unknown>>) => Refusal | undefined;
  /** The endpoint takes no body: any body is malformed. */
  readonly noBody?: boolean;
  /** false: the endpoint takes no Idempotency-Key, so a bad one is not its concern. */
  readonly idempotencyKey?: false;
}

export interface PathParam {
  readonly good: () => string;
  readonly bad: readonly string[];
  readonly refusal: (value: string) => Refusal;
}

/** The one answer a malformed request must get. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
}

export interface BadRequest {
  readonly label: string;
  readonly expected: Refusal;
  readonly path: string;
  /** A JSON value to send as application/json, unless `raw` is given. */
  readonly body?: unknown;
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

// ----- documented refusals ----------------------------------------------------------

const refusal = (status: number, code: string): Refusal => ({ status, code });
export const VALIDATION_FAILED = refusal(400, 'validation-failed');
const MALFORMED_JSON = refusal(400, 'malformed-json');
const UNSUPPORTED_MEDIA_TYPE = refusal(415, 'unsupported-media-type');
const PAYLOAD_TOO_LARGE = refusal(413, 'payload-too-large');
const TOO_DEEPLY_NESTED = refusal(400, 'too-deeply-nested');
const FORBIDDEN_PROPERTY = refusal(400, 'forbidden-property');
export const INVALID_CHARACTERS = refusal(400, 'invalid-characters');
const UNEXPECTED_BODY = refusal(400, 'unexpected-body');
const INVALID_IDEMPOTENCY_KEY = refusal(400, 'invalid-idempotency-key');

/** The JSON parser's limit (`app.useBodyParser('json', { limit: '100kb' })`). */
const BODY_LIMIT_BYTES = 100 * 1024;
/** Nesting the API refuses before validation (safe-input's MAX_JSON_DEPTH). */
const MAX_JSON_DEPTH = 16;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** The first problem the API's walk over a parsed body meets, depth first in member order. */
function unsafeInput(value: unknown, depth: number): Refusal | undefined {
  if (typeof value === 'string') return unstorable(value) ? INVALID_CHARACTERS : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) return TOO_DEEPLY_NESTED;
  const members: [string | undefined, unknown][] = Array.isArray(value) ? value.map((item) => [undefined, item]) : Object.entries(value);
  for (const [key, item] of members) {
    if (key !== undefined && PROTOTYPE_KEYS.has(key)) return FORBIDDEN_PROPERTY;
    if (key !== undefined && unstorable(key)) return INVALID_CHARACTERS;
    const found = unsafeInput(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * What a JSON request body must be answered, in the order the API checks: the size limit,
 * the strict parser (objects and arrays only), the walk for nesting, prototype keys and
 * unstorable characters, a body where none is taken, then the endpoint's own rules and
 * validation.
 */
export function bodyRefusal(spec: EndpointSpec, body: unknown, text: string = JSON.stringify(body)): Refusal {
  if (Buffer.byteLength(text, 'utf8') > BODY_LIMIT_BYTES) return PAYLOAD_TOO_LARGE;
  if (body === null || typeof body !== 'object') return MALFORMED_JSON;
  const unsafe = unsafeInput(body, 0);
  if (unsafe) return unsafe;
  if (spec.noBody) return UNEXPECTED_BODY;
  return (Array.isArray(body) ? undefined : spec.refusalOf?.(body as Record<string, unknown>)) ?? VALIDATION_FAILED;
}

/** Raw text sent as application/json: refused by the parser, or judged as the body it parses to. */
function rawJsonRefusal(spec: EndpointSpec, raw: string): Refusal {
  let parsed: unknown;
  try {
    // body-parser drops a leading byte order mark before parsing.
    parsed = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch {
    return Buffer.byteLength(raw, 'utf8') > BODY_LIMIT_BYTES ? PAYLOAD_TOO_LARGE : MALFORMED_JSON;
  }
  return bodyRefusal(spec, parsed, raw);
}

// ----- building blocks -------------------------------------------------------------

const C0_CONTROLS = [...Array(32).keys()].filter((c) => c !== 9 && c !== 10 && c !== 13).map((c) => String.fromCharCode(c));
const CONTROLS = [...C0_CONTROLS, '\u007F', '\u0085', '\u009B'];
/** Bidirectional overrides and isolates (Trojan Source), and a lone surrogate each way. */
const DECEPTIVE = ['\u202E', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\uD800', '\uDFFF', '\uD83D', '\uFFFE', '\uFFFF'];

const SQL_AND_PATHS = [
  "'; DROP TABLE events; --",
  "DFT' OR '1'='1",
  '1; SELECT pg_sleep(10)',
  'UNION SELECT * FROM streams',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  '/dev/null',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'DFT\u0000',
];

/** Codes that look like department codes but are not: wrong length, symbols, homoglyphs. */
export const BAD_CODES = [
  'D',
  'TOOLONGCODE1',
  '1DFT',
  'DF-T',
  'DF_T',
  'DFT ',
  ' DFT',
  'DF T',
  'ДФТ', // Cyrillic
  'ＤＦＴ', // full width
  'DF\u200BT', // zero-width space
  '\u202EDFT',
  "DFT'--",
  'DFT;DROP',
  '..',
  '%00',
];

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** Values of the wrong JSON type for a field, every one of them sent by the catalogue. */
export function wrongTypeValues(field: FieldSpec): unknown[] {
  const nullable = field.optional ? [] : [null];
  const structures = [[], ['a'], [1, 2], {}, { a: 1 }];
  switch (field.type.kind) {
    case 'int':
    case 'pounds':
    case 'decimal':
      return ['5', '1e3', '0x10', '', ' 1', 'NaN', 'Infinity', true, ...structures, ...nullable];
    case 'bool':
      return ['true', 'false', 1, 0, 'yes', [true], {}, ...nullable];
    case 'tags':
    case 'codes':
      return ['payroll', 1, true, {}, [1], [true], [null], [['nested']], ...nullable];
    case 'deadlines':
      return ['P1D', 1, true, [], ['P1D']];
    case 'object':
      return ['digest', 1, true, [], [1], ...nullable];
    default:
      return [1, 0, -1, 1.5, true, false, ...structures, ...nullable];
  }
}

function wrongTypes(field: FieldSpec): fc.Arbitrary<unknown> {
  const random = ['int', 'pounds', 'decimal'].includes(field.type.kind)
    ? fc.string({ maxLength: 10 })
    : fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.array(anyJson, { maxLength: 3 }));
  return fc.oneof(fc.constantFrom(...wrongTypeValues(field)), random);
}

function oversizedValues(field: FieldSpec): string[] {
  const max = field.type.kind === 'text' ? field.type.max : 100;
  return ['x'.repeat(max + 1), 'y'.repeat(max + 2500), 'é'.repeat(200_000)]; // the last is over the body limit: 413
}

function insert(text: string, inserted: string, at: number): string {
  const index = Math.min(text.length, Math.max(1, at));
  return `${text.slice(0, index)}${inserted}${text.slice(index)}`;
}

/** What is wrong with a value of this kind beyond its JSON type, every one sent by the catalogue. */
export function badValueList(field: FieldSpec, valid: unknown): unknown[] {
  const base = typeof valid === 'string' && valid.length > 1 ? valid : 'Valid text';
  switch (field.type.kind) {
    case 'text':
      return [
        ...[...CONTROLS, ...DECEPTIVE].map((char) => insert(base, char, 1)),
        ...oversizedValues(field),
        ...(field.optional ? [] : ['', '   ', '\n\t']),
      ];
    case 'code':
      return [...BAD_CODES, ...SQL_AND_PATHS, ...oversizedValues(field)];
    case 'date':
      return [
        '2027-02-30', '2027-02-29', '2027-13-01', '2027-00-10', '2027-04-31', '0000-00-00', '2027-4-1', '27-04-01',
        '2027-04-01T00:00:00Z', '+002027-04-01', '2027/04/01', '01/04/2027', 'tomorrow', '２０２７-04-01', '2027-04-01\u0000',
        '99999-01-01', '-2027-04-01', ...SQL_AND_PATHS,
      ];
    case 'enum': {
      const values = field.type.values;
      return [
        ...values.map((value) => (value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase())),
        ...values.map((value) => ` ${value}`),
        ...values.map((value) => `${value}\u200B`),
        ...SQL_AND_PATHS,
        '',
        'unknown',
      ];
    }
    case 'int':
      return [field.type.min - 1, field.type.max + 1, 1.5, -0.5, 2 ** 53 + 2, 1e21, -1e21, 1e308, -Number.MAX_VALUE, 1e-7];
    case 'decimal':
      return [field.type.min - 1, field.type.max + 1, 1.234, 1e308, -1e-7, 1e-7, 5e-324];
    case 'pounds':
      return [-0.01, -1, field.type.min - 0.01, 1.005, 0.001, 1e12 + 1, 1e15, 1e308, 123456789.999, 1e-7, 5e-324, -1e-7];
    case 'bool':
      return ['true', 1, 'on'];
    case 'tags':
      return [['Payroll'], ['pay roll'], ['-lead'], ['a'.repeat(51)], [''], ['tag\u0000'], ['../x'], ["x'--"], Array.from({ length: 21 }, (_, i) => `t${i}`)];
    case 'codes':
      return [...BAD_CODES.map((code) => [code]), Array.from({ length: 1001 }, () => 'DFT')];
    case 'period':
      return ['2027-Q0', '2027-Q5', '2027-q1', '27-Q1', '2027Q1', '2027-Q1 ', '2027-Q12', '１２３４-Q1', '2027-H1', '2027-Q', ...SQL_AND_PATHS];
    case 'deadlines':
      return [
        ...['P', 'PT', 'P0D', 'PT0S', 'P0Y0M', 'P-1D', 'P1.5D', 'P1DT', '30 days', 'P99999999999Y', 'P9999999D', 'P99999999D', 'PT999999999999H', 'PT0.0001S', ''].map(
          (value) => ({ LESSONS: value }),
        ),
        { LIVE: 'P1D' },
        { CLOSED: 'P1D' },
        { lessons: 'P1D' },
        { LESSONS: 5 },
        { LESSONS: ['P1D'] },
        { LESSONS: 'P1D', extra: 1 },
      ];
    case 'object':
      return wrongTypeValues(field);
  }
}

function badValues(field: FieldSpec, valid: unknown): fc.Arbitrary<unknown> {
  const listed = fc.constantFrom(...badValueList(field, valid));
  if (field.type.kind !== 'text') return listed;
  const base = typeof valid === 'string' && valid.length > 1 ? valid : 'Valid text';
  // Random positions for random control and deceptive characters, beyond the catalogue's.
  return fc.oneof(listed, fc.tuple(fc.constantFrom(...CONTROLS, ...DECEPTIVE), fc.nat({ max: 40 })).map(([char, at]) => insert(base, char, at)));
}

// ----- requests ----------------------------------------------------------------------

export function pathOf(spec: EndpointSpec, overrides: Record<string, string> = {}): string {
  const [, template] = spec.route.split(' ');
  return template.replace(/:(\w+)/g, (_match, name: string) => {
    const value = overrides[name] ?? spec.params?.[name]?.good();
    if (value === undefined) throw new Error(`${spec.route}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}

function withField(body: Readonly<Record<string, unknown>>, name: string, value: unknown): Record<string, unknown> {
  return { ...body, [name]: value };
}

function without(body: Readonly<Record<string, unknown>>, name: string): Record<string, unknown> {
  const { [name]: _dropped, ...rest } = body;
  return rest;
}

const INVALID_JSON = [
  '{',
  '{"a":}',
  "{'code':'DFT'}",
  '{"code":"DFT",}',
  '{code:"DFT"}',
  'NaN',
  '[1,2',
  '{"a":1}}',
  '\u0000',
  '{"a":"\u0000 unescaped control"}',
  '{"a":tru}',
  '{"a":01}',
  '{"a":1e}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}x',
  '\uFEFF{"a":1}',
  '"just a string"',
  '42',
  'true',
  'null',
];

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'text/html',
  'application/octet-stream',
  'application/jsonx',
  'application/json-patch+json',
  'application/json; charset=latin1',
];

const BAD_IDEMPOTENCY_KEYS = ['k'.repeat(201), 'key with spaces', 'key/../x', "key';--", 'clé', 'key\ttab'];

/** Deeply nested JSON under an unknown key, within the size limit. */
function deeplyNested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** The valid body with one more member, written as text so that `__proto__` survives. */
function withRawMember(valid: Readonly<Record<string, unknown>>, key: string, valueJson: string): string {
  const members = JSON.stringify(valid).slice(1, -1);
  return `{${members}${members ? ',' : ''}${JSON.stringify(key)}:${valueJson}}`;
}

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'role', 'actor', 'at', 'version', 'eventId', 'type', 'isAdmin', 'unknownField'];

function json(spec: EndpointSpec, path: string, label: string, raw: string): BadRequest {
  return { label, path, raw, contentType: 'application/json', expected: rawJsonRefusal(spec, raw) };
}

function withBody(spec: EndpointSpec, path: string, label: string, body: unknown): BadRequest {
  return { label, path, body, expected: bodyRefusal(spec, body) };
}

/**
 * Every listed way of breaking one request to this endpoint, each sent once: missing
 * fields, wrong types, bad values per field kind, extra and prototype-polluting members,
 * deep nesting, invalid JSON, wrong content types, bad idempotency keys, bad path values.
 */
export function catalogue(spec: EndpointSpec): BadRequest[] {
  const path = pathOf(spec);
  const requests: BadRequest[] = [];
  for (const field of spec.fields) {
    if (!field.optional) requests.push(withBody(spec, path, `missing ${field.name}`, without(spec.valid, field.name)));
    for (const value of wrongTypeValues(field)) requests.push(withBody(spec, path, `${field.name} of the wrong type`, withField(spec.valid, field.name, value)));
    for (const value of badValueList(field, spec.valid[field.name])) {
      requests.push(withBody(spec, path, `bad ${field.type.kind} in ${field.name}`, withField(spec.valid, field.name, value)));
    }
  }
  for (const key of EXTRA_KEYS.filter((key) => !spec.fields.some((field) => field.name === key))) {
    for (const value of ['1', 'null', '{}', '{"polluted":true}']) requests.push(json(spec, path, `extra member ${key}`, withRawMember(spec.valid, key, value)));
  }
  for (const depth of [33, 1000, 40_000]) requests.push(json(spec, path, `nested ${depth} deep`, withRawMember(spec.valid, 'nested', deeplyNested(depth))));
  requests.push(json(spec, path, 'prototype key nested in a value', withRawMember(spec.valid, 'nested', '{"a":{"__proto__":{"polluted":true}}}')));
  for (const raw of INVALID_JSON) requests.push(json(spec, path, `invalid JSON ${JSON.stringify(raw).slice(0, 30)}`, raw));
  for (const raw of ['[]', '[{}]', JSON.stringify([spec.valid]), '""', '0', 'false']) requests.push(json(spec, path, `not an object: ${raw.slice(0, 20)}`, raw));
  const text = JSON.stringify(spec.valid);
  for (const contentType of WRONG_CONTENT_TYPES) {
    const form = new URLSearchParams(Object.entries(spec.valid).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const raw = contentType.includes('form') && form ? form : text === '{}' ? 'x=1' : text;
    requests.push({ label: `content type ${contentType}`, path, raw, contentType, expected: UNSUPPORTED_MEDIA_TYPE });
  }
  requests.push({ label: 'a body without content type', path, raw: Buffer.from(text), contentType: '', expected: UNSUPPORTED_MEDIA_TYPE });
  if (spec.idempotencyKey !== false) {
    // A bad key is refused before the command runs, so even a body that would change things is safe.
    for (const key of BAD_IDEMPOTENCY_KEYS) {
      requests.push({
        label: `Idempotency-Key ${JSON.stringify(key).slice(0, 20)}`,
        path,
        body: spec.noBody ? undefined : spec.valid,
        headers: { 'Idempotency-Key': key },
        expected: INVALID_IDEMPOTENCY_KEY,
      });
    }
  }
  for (const [name, param] of Object.entries(spec.params ?? {})) {
    for (const value of param.bad) {
      requests.push({
        label: `bad :${name} ${JSON.stringify(value).slice(0, 20)}`,
        path: pathOf(spec, { [name]: value }),
        body: spec.noBody ? undefined : spec.valid,
        expected: param.refusal(value),
      });
    }
  }
  if (spec.noBody) {
    for (const body of [{ a: 1 }, [1], { lessonId: 'other' }]) requests.push(withBody(spec, path, 'a body where none is taken', body));
  }
  return requests;
}

/** Random breakages on top of the catalogue: random wrong types, members, positions and depths. */
function randomMalformations(spec: EndpointSpec): fc.Arbitrary<BadRequest>[] {
  const path = pathOf(spec);
  const generators: fc.Arbitrary<BadRequest>[] = [
    fc
      .tuple(fc.stringMatching(/^[a-zA-Z_$][a-zA-Z0-9_$]{0,15}$/), anyJson)
      .filter(([key]) => !spec.fields.some((field) => field.name === key))
      .map(([key, value]) => json(spec, path, `extra member ${key}`, withRawMember(spec.valid, key, JSON.stringify(value)))),
    fc.integer({ min: 33, max: 45_000 }).map((depth) => json(spec, path, `nested ${depth} deep`, withRawMember(spec.valid, 'nested', deeplyNested(depth)))),
  ];
  if (spec.fields.length > 0) {
    generators.push(
      fc.constantFrom(...spec.fields).chain((field) =>
        wrongTypes(field).map((value) => withBody(spec, path, `${field.name} of the wrong type`, withField(spec.valid, field.name, value))),
      ),
      fc.constantFrom(...spec.fields).chain((field) =>
        badValues(field, spec.valid[field.name]).map((value) => withBody(spec, path, `bad ${field.type.kind} in ${field.name}`, withField(spec.valid, field.name, value))),
      ),
    );
  }
  return generators;
}

/** Catalogue entries and random breakages of one request to this endpoint, for fast-check. */
export function malformedRequests(spec: EndpointSpec): fc.Arbitrary<BadRequest> {
  // Reported by label and path: a counterexample's raw body can be 100 kB.
  return fc
    .oneof(fc.constantFrom(...catalogue(spec)), ...randomMalformations(spec))
    .map((request) => Object.assign({ ...request }, { [fc.toStringMethod]: () => `${request.label} → POST ${request.path.slice(0, 120)}` }));
}

export const badCodes = [...BAD_CODES, 'NOSUCHDEPT'];
/** A malformed code is 400 invalid-department-code; a well-formed one nobody registered is 404. */
export function departmentCodeRefusal(value: string): Refusal {
  return value === 'NOSUCHDEPT' ? refusal(404, 'department-not-found') : refusal(400, 'invalid-department-code');
}
/** Malformed path parameter values of the usual kinds, beyond department codes. */
export const badIdentifiers = ['x'.repeat(101), "1' OR '1'='1", '../../etc/passwd', '%2F..%2F', 'id\u0000', '\u202Eid', '💥', ' '];
/** A NUL in the URL is refused before routing; any other unknown identifier is not found. */
export function identifierRefusal(notFound: string): (value: string) => Refusal {
  return (value) => (value.includes('\u0000') ? INVALID_CHARACTERS : refusal(404, notFound));
}
