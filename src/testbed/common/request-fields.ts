// Request field validation for the emulator. Rule: a malformed request field answers A0004 with the
// field named in rsp_message; an unknown (e.g. misspelled) field never fails a call but is reported in
// an `X-Testbed-Warning: unknown field <name>` response header and in the request log.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KftcError, messages } from './kftc-error';
import { testbedContext } from './request-context';

export type Fields = Record<string, unknown>;

export interface StringRule {
  /** Maximum length in characters. */
  max?: number;
  /** Exact length in characters. */
  length?: number;
  pattern?: RegExp;
  /** Allowed values. */
  oneOf?: readonly string[];
  /** Human hint for the message, e.g. "yyyyMMddHHmmss". */
  format?: string;
}

/** A0004 naming the field: `요청전문 포맷 에러 [tran_amt: 숫자만 입력]`. */
export function formatError(field: string, problem: string, extra?: Record<string, unknown>): KftcError {
  return new KftcError('A0004', `${messages.A0004} [${field}: ${problem}]`, extra);
}

/** The request's fields as an object: JSON/form body or query string; anything else → {}. */
export function fieldsOf(source: unknown): Fields {
  return source && typeof source === 'object' && !Array.isArray(source) ? (source as Fields) : {};
}

function check(field: string, v: string, rule: StringRule): void {
  if (rule.length !== undefined && v.length !== rule.length) throw formatError(field, `${rule.length}자리`);
  if (rule.max !== undefined && v.length > rule.max) throw formatError(field, `최대 ${rule.max}자`);
  if (rule.oneOf && !rule.oneOf.includes(v)) throw formatError(field, `허용값 ${rule.oneOf.join('/')}`);
  if (rule.pattern && !rule.pattern.test(v))
    throw formatError(field, rule.format ? `형식 ${rule.format}` : '형식 오류');
}

/**
 * A required string field. Numbers are accepted as their string form (real clients sometimes send
 * `"tran_amt": 10000`); arrays, objects, booleans and empty strings are refused.
 */
export function requireString(fields: Fields, field: string, rule: StringRule = {}): string {
  const raw = fields[field];
  if (raw === undefined || raw === null || raw === '') throw formatError(field, '필수 항목 누락');
  if (typeof raw === 'number' && Number.isFinite(raw)) {
    const v = String(raw);
    check(field, v, rule);
    return v;
  }
  if (typeof raw !== 'string') throw formatError(field, '문자열이어야 함');
  check(field, raw, rule);
  return raw;
}

/** An optional string field: undefined when absent or empty, otherwise validated like requireString. */
export function optionalString(fields: Fields, field: string, rule: StringRule = {}): string | undefined {
  const raw = fields[field];
  if (raw === undefined || raw === null || raw === '') return undefined;
  return requireString(fields, field, rule);
}

/** A required amount: digits only, 1 ≤ n ≤ max (KRW). Returns a number. */
export function requireAmount(fields: Fields, field: string, max = 10_000_000_000): number {
  const v = requireString(fields, field, { max: 12, pattern: /^\d+$/, format: '숫자' });
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw formatError(field, `1 ~ ${max}`);
  return n;
}

/** A required list (JSON array of objects), 1..max items. */
export function requireList(fields: Fields, field: string, max: number): Fields[] {
  const raw = fields[field];
  if (!Array.isArray(raw) || raw.length === 0) throw formatError(field, '필수 항목 누락');
  if (raw.length > max) throw formatError(field, `최대 ${max}건`);
  return raw.map((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw formatError(`${field}[${i}]`, '객체여야 함');
    return item as Fields;
  });
}

const MAX_WARNINGS = 20;

/** Field names come from the client: keep header values printable ASCII and short. */
function headerSafe(name: string): string {
  const short = name.length > 64 ? `${name.slice(0, 64)}...` : name;
  return short.replace(/[^\x21-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Reports fields not in `known` (optionally `prefix` names them, e.g. "req_list[0].") without failing:
 * each becomes a warning header and a request-log entry. Returns the unknown names.
 */
export function reportUnknownFields(
  req: FastifyRequest,
  reply: FastifyReply,
  fields: Fields,
  known: ReadonlySet<string> | readonly string[],
  prefix = '',
): string[] {
  const knownSet = known instanceof Set ? known : new Set(known as readonly string[]);
  const unknown: string[] = [];
  for (const name of Object.keys(fields)) if (!knownSet.has(name)) unknown.push(prefix + name);
  if (unknown.length === 0) return unknown;
  const ctx = testbedContext(req);
  for (const name of unknown) {
    if (ctx.warnings.length >= MAX_WARNINGS) break;
    ctx.warnings.push(`unknown field ${headerSafe(name)}`);
  }
  reply.header('X-Testbed-Warning', ctx.warnings.join(', '));
  return unknown;
}
