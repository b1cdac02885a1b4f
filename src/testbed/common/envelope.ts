// The common v2.0 envelope (§3) and KST date formats. KFTC answers in Korean Standard Time (UTC+9,
// no daylight saving), so formatting is a fixed +9h shift read with UTC getters (fast, no Intl).
import crypto from 'node:crypto';
import { bankMessages } from './kftc-error';

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}
function shifted(d: Date): Date {
  return new Date(d.getTime() + KST_OFFSET_MS);
}

/** yyyyMMdd in KST. */
export function kstDate(d: Date): string {
  const k = shifted(d);
  return `${k.getUTCFullYear()}${pad(k.getUTCMonth() + 1)}${pad(k.getUTCDate())}`;
}
/** HHmmss in KST. */
function kstTime(d: Date): string {
  const k = shifted(d);
  return `${pad(k.getUTCHours())}${pad(k.getUTCMinutes())}${pad(k.getUTCSeconds())}`;
}
/** yyyyMMddHHmmss in KST. */
export function kstDateTime(d: Date): string {
  return kstDate(d) + kstTime(d);
}
// The yyyyMMddHHmmss of the last second formatted: every answer within one second shares it.
let lastSecond = NaN;
let lastSecondText = '';

/** yyyyMMddHHmmssSSS in KST (api_tran_dtm). */
function kstDateTimeMs(d: Date): string {
  const ms = d.getTime();
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastSecondText = kstDateTime(d);
  }
  return lastSecondText + pad(ms - second * 1000, 3);
}

/** Parses yyyyMMdd (KST) → the UTC instant of that day's KST midnight; null when not a real date. */
export function parseKstDate(s: string): Date | null {
  if (!/^\d{8}$/.test(s)) return null;
  const y = Number(s.slice(0, 4)),
    m = Number(s.slice(4, 6)),
    d = Number(s.slice(6, 8));
  const utc = Date.UTC(y, m - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc - KST_OFFSET_MS);
}

/** Parses yyyyMMddHHmmss (KST) → Date; null when malformed or not a real date/time. */
export function parseKstDateTime(s: string): Date | null {
  if (!/^\d{14}$/.test(s)) return null;
  const day = parseKstDate(s.slice(0, 8));
  if (!day) return null;
  const h = Number(s.slice(8, 10)),
    mi = Number(s.slice(10, 12)),
    se = Number(s.slice(12, 14));
  if (h > 23 || mi > 59 || se > 59) return null;
  return new Date(day.getTime() + ((h * 60 + mi) * 60 + se) * 1000);
}

export interface Envelope {
  api_tran_id: string;
  api_tran_dtm: string;
}

/** A success answer: envelope + rsp_code A0000 + empty rsp_message, then the body fields. */
export function success<T extends Record<string, unknown>>(
  body: T,
  now: Date = new Date(),
): Envelope & { rsp_code: 'A0000'; rsp_message: '' } & T {
  return Object.assign(answerHead(now, 'A0000', ''), body) as Envelope & { rsp_code: 'A0000'; rsp_message: '' } & T;
}

/**
 * The envelope and the codes as one literal, for building answers with Object.assign(head, fields…).
 * Hot answers are built that way, never as `{ ...a, key: value, … }`: on V8 each property written after
 * a spread inside an object literal costs about a microsecond (a runtime call), so a 20-field answer
 * written like that costs ~20 µs; Object.assign copies the same fields in well under one.
 */
export function answerHead(
  now: Date,
  rspCode: string,
  rspMessage: string,
): Envelope & { rsp_code: string; rsp_message: string } {
  return {
    api_tran_id: crypto.randomUUID(),
    api_tran_dtm: kstDateTimeMs(now),
    rsp_code: rspCode,
    rsp_message: rspMessage,
  };
}

export type BankLeg = {
  bank_tran_id: string;
  bank_tran_date: string;
  bank_code_tran: string;
  bank_rsp_code: string;
  bank_rsp_message: string;
};

/** The bank leg of a single-account answer (or of one res_list item). */
export function bankLeg(opts: {
  bankTranId: string;
  bankCode: string;
  date: Date;
  bankRspCode?: string;
  bankRspMessage?: string;
}): BankLeg {
  const code = opts.bankRspCode ?? '000';
  return {
    bank_tran_id: opts.bankTranId,
    bank_tran_date: kstDate(opts.date),
    bank_code_tran: opts.bankCode,
    bank_rsp_code: code,
    bank_rsp_message: opts.bankRspMessage ?? (code === '000' ? '' : (bankMessages[code] ?? '')),
  };
}
