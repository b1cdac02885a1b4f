// Request fields of each service API as data: one list drives both validation (A0004 naming the field,
// see ../common/request-fields.ts) and the OpenAPI document. Unknown fields are reported, never refused.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  formatError,
  optionalString,
  reportUnknownFields,
  requireAmount,
  requireList,
  requireString,
  type Fields,
  type StringRule,
} from '../common/request-fields';
import { parseKstDate, parseKstDateTime } from '../common/envelope';

export interface FieldSpec {
  name: string;
  required: boolean;
  /** string (default), amount (digits, returned as number), list (array of objects with `items`). */
  type?: 'string' | 'amount' | 'list';
  rule?: StringRule & { date?: boolean; dateTime?: boolean; time?: boolean };
  items?: readonly FieldSpec[];
  maxItems?: number;
  description: string;
  example?: string;
}

export type Parsed = Record<string, string | number | Parsed[] | undefined>;

/** A read string field, '' when absent. */
export function textField(p: Parsed, key: string): string {
  return (p[key] as string | undefined) ?? '';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the rule refuses control characters, so it names them
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const DIGITS = (n: number) => ({ length: n, pattern: /^\d+$/, format: `숫자 ${n}자리` });

export const f = {
  // The length and the 이용기관코드 prefix are checked by ../common/bank-tran-id.ts, whose refusal names the
  // caller's own code and what to send; here only what no bank_tran_id can be.
  bankTranId: {
    name: 'bank_tran_id',
    required: true,
    rule: { max: 40, pattern: /^[0-9A-Za-z]+$/, format: '영숫자 (이용기관코드+U+9자리)' },
    description:
      '거래고유번호: exactly 20 characters = 이용기관코드 (10) + U + 9 alphanumerics, unique per day (zero-pad the serial)',
    example: 'M202600001U123456789',
  } as FieldSpec,
  fintechUseNum: (name = 'fintech_use_num', required = true): FieldSpec => ({
    name,
    required,
    rule: DIGITS(24),
    description: '핀테크이용번호 (24 digits)',
    example: '120260000100000000000001',
  }),
  tranDtime: {
    name: 'tran_dtime',
    required: true,
    rule: { length: 14, pattern: /^\d{14}$/, format: 'yyyyMMddHHmmss', dateTime: true },
    description: '요청일시 yyyyMMddHHmmss (KST)',
    example: '20261126120000',
  },
  tranAmt: (name = 'tran_amt'): FieldSpec => ({
    name,
    required: true,
    type: 'amount',
    description: '거래금액 (KRW, digits)',
    example: '10000',
  }),
  printContent: (name: string, required: boolean): FieldSpec => ({
    name,
    required,
    rule: { max: 20 },
    description: '적요 (≤20 chars)',
    example: '오픈뱅킹',
  }),
  bankCode: (name: string, required = true): FieldSpec => ({
    name,
    required,
    rule: { length: 3, pattern: /^\d{3}$/, format: '숫자 3자리' },
    description: '은행코드 (bank_code_std)',
    example: '097',
  }),
  accountNum: (name: string, required = true): FieldSpec => ({
    name,
    required,
    rule: { max: 16, pattern: /^\d+$/, format: '숫자 최대 16자리' },
    description: '계좌번호 (digits)',
    example: '1101230000678',
  }),
  name: (name: string, required: boolean, description: string): FieldSpec => ({
    name,
    required,
    rule: { max: 20 },
    description,
    example: '홍길동',
  }),
  date: (name: string, required = true): FieldSpec => ({
    name,
    required,
    rule: { length: 8, pattern: /^\d{8}$/, format: 'yyyyMMdd', date: true },
    description: `${name} yyyyMMdd`,
    example: '20261126',
  }),
  time: (name: string, required = true): FieldSpec => ({
    name,
    required,
    rule: { length: 6, pattern: /^([01]\d|2[0-3])[0-5]\d[0-5]\d$/, format: 'HHmmss' },
    description: `${name} HHmmss`,
    example: '120000',
  }),
  oneOf: (name: string, values: readonly string[], required = true, description = ''): FieldSpec => ({
    name,
    required,
    rule: { oneOf: values },
    description: description || values.join(' / '),
    example: values[0],
  }),
};

/** The optional "on whose behalf" fields of a transfer (전자금융거래법 요청고객 정보). */
export const REQ_CLIENT_FIELDS: readonly FieldSpec[] = [
  f.name('req_client_name', false, '요청고객성명'),
  f.bankCode('req_client_bank_code', false),
  f.accountNum('req_client_account_num', false),
  f.fintechUseNum('req_client_fintech_use_num', false),
  {
    name: 'req_client_num',
    required: false,
    rule: { max: 20, pattern: /^[0-9A-Za-z]+$/, format: '영숫자 최대 20자' },
    description: '요청고객회원번호',
    example: 'HONGGILDONG1234',
  },
  f.oneOf('transfer_purpose', ['TR', 'ST', 'RC', 'AU'], false, 'TR 송금 / ST 결제 / RC 충전 / AU 자동'),
];

/** Optional fields accepted and ignored by the emulator (documented so they don't warn). */
export const PASS_THROUGH_FIELDS: readonly FieldSpec[] = [
  'sub_frnc_name',
  'sub_frnc_num',
  'sub_frnc_business_num',
  'recv_client_name',
  'recv_client_bank_code',
  'recv_client_account_num',
].map((name) => ({ name, required: false, rule: { max: 50 }, description: `${name} (accepted, not checked)` }));

function readOne(spec: FieldSpec, fields: Fields, prefix: string): string | number | Parsed[] | undefined {
  const label = prefix + spec.name;
  const view: Fields = prefix ? { [label]: fields[spec.name] } : fields;
  const key = prefix ? label : spec.name;
  if (spec.type === 'amount') {
    if (!spec.required && (fields[spec.name] === undefined || fields[spec.name] === '')) return undefined;
    return requireAmount(view, key);
  }
  if (spec.type === 'list') {
    const list = requireList(view, key, spec.maxItems ?? 25);
    return list.map((item, i) => readAll(spec.items ?? [], item, `${label}[${i}].`));
  }
  const v = spec.required ? requireString(view, key, spec.rule) : optionalString(view, key, spec.rule);
  // Control characters (NUL above all: PostgreSQL refuses it in text) are never part of a KFTC field.
  if (v !== undefined && CONTROL_CHARS.test(v)) throw formatError(label, '제어문자는 쓸 수 없음');
  if (v !== undefined && spec.rule?.dateTime && !parseKstDateTime(v)) throw formatError(label, '존재하지 않는 일시');
  if (v !== undefined && spec.rule?.date && !parseKstDate(v)) throw formatError(label, '존재하지 않는 날짜');
  return v;
}

function readAll(specs: readonly FieldSpec[], fields: Fields, prefix = ''): Parsed {
  const out: Parsed = {};
  for (const spec of specs) out[spec.name] = readOne(spec, fields, prefix);
  return out;
}

/** Validates `fields` against `specs` (A0004 naming the first bad field) and reports unknown fields. */
export function readRequest(
  req: FastifyRequest,
  reply: FastifyReply,
  specs: readonly FieldSpec[],
  source: unknown,
): Parsed {
  const fields: Fields = source && typeof source === 'object' && !Array.isArray(source) ? (source as Fields) : {};
  reportUnknownFields(
    req,
    reply,
    fields,
    specs.map((s) => s.name),
  );
  for (const spec of specs) {
    if (spec.type !== 'list' || !Array.isArray(fields[spec.name])) continue;
    (fields[spec.name] as unknown[]).slice(0, spec.maxItems ?? 25).forEach((item, i) => {
      if (item && typeof item === 'object' && !Array.isArray(item))
        reportUnknownFields(
          req,
          reply,
          item as Fields,
          (spec.items ?? []).map((s) => s.name),
          `${spec.name}[${i}].`,
        );
    });
  }
  return readAll(specs, fields);
}

/** JSON schema (documentation only: the routes never let Ajv refuse a request). */
export function jsonSchemaOf(specs: readonly FieldSpec[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const s of specs) {
    if (s.type === 'list') {
      properties[s.name] = {
        type: 'array',
        maxItems: s.maxItems ?? 25,
        description: s.description,
        items: jsonSchemaOf(s.items ?? []),
      };
      continue;
    }
    const p: Record<string, unknown> = { type: 'string', description: s.description };
    if (s.example) p.example = s.example;
    if (s.rule?.length) {
      p.minLength = s.rule.length;
      p.maxLength = s.rule.length;
    }
    if (s.rule?.max) p.maxLength = s.rule.max;
    if (s.rule?.oneOf) p.enum = [...s.rule.oneOf];
    if (s.rule?.pattern) p.pattern = s.rule.pattern.source;
    if (s.type === 'amount') p.pattern = '^\\d+$';
    properties[s.name] = p;
  }
  return {
    type: 'object',
    properties,
    required: specs.filter((s) => s.required).map((s) => s.name),
    additionalProperties: true,
  };
}
