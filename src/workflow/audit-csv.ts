// Rule: the audit trail exports as RFC 4180 CSV with a UTF-8 byte-order mark (so Excel reads Korean),
// every field quoted when needed, and cells that a spreadsheet would run as a formula neutralised.
// Each event keeps its key and states (for tools) beside their names in the reader's language (for people).
import type { AuditEvent } from '../audit/service';
import { decodeCursor, type Page, type PageRequest } from '../pagination/cursor';
import { auditEventName, auditStateName } from '../audit/event-names';
import type { Locale } from '../i18n';

export const CSV_BOM = '\uFEFF';

/** One CSV field: quoted when it holds a quote, comma, CR or LF; "=cmd" and friends are prefixed with '. */
export function csvField(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: unknown[]): string {
  return values.map(csvField).join(',');
}

const AUDIT_CSV_HEADER = [
  'created_at',
  'event',
  'event_name',
  'actor',
  'from_state',
  'from_state_name',
  'to_state',
  'to_state_name',
  'reason',
  'internal',
  'data',
];

/** One event's CSV line (no line end). */
function auditCsvLine(e: AuditEvent, locale: Locale): string {
  return csvRow([
    e.createdAt,
    e.event,
    auditEventName(locale, e.event),
    e.actorLabel ?? '',
    e.fromState ?? '',
    auditStateName(locale, e.fromState),
    e.toState ?? '',
    auditStateName(locale, e.toState),
    e.reason ?? '',
    e.internal ? 'yes' : 'no',
    e.data ? JSON.stringify(e.data) : '',
  ]);
}

/** The whole file: BOM, header, one row per event, CRLF line ends. */
export function auditTrailCsv(events: readonly AuditEvent[], locale: Locale = 'ko'): string {
  const lines = [csvRow(AUDIT_CSV_HEADER)];
  for (const e of events) lines.push(auditCsvLine(e, locale));
  return `${CSV_BOM + lines.join('\r\n')}\r\n`;
}

/** Events read per chunk while streaming the CSV. */
export const AUDIT_CSV_CHUNK = 500;

/**
 * The same file as auditTrailCsv, streamed: the trail is read a keyset page of AUDIT_CSV_CHUNK events at a
 * time (oldest first, on seq), so an export holds one chunk in memory however long the trail is. Each
 * page's next cursor is followed exactly once: every event is written once, in order.
 */
export async function* auditTrailCsvChunks(
  readPage: (page: PageRequest) => Promise<Page<AuditEvent>>,
  locale: Locale = 'ko',
): AsyncGenerator<string> {
  yield `${CSV_BOM + csvRow(AUDIT_CSV_HEADER)}\r\n`;
  let request: PageRequest = { size: AUDIT_CSV_CHUNK };
  for (;;) {
    const page = await readPage(request);
    if (page.rows.length) yield `${page.rows.map((e) => `${auditCsvLine(e, locale)}\r\n`).join('')}`;
    const after = page.next ? decodeCursor(page.next, ['integer']) : null;
    if (!after) return;
    request = { size: AUDIT_CSV_CHUNK, after };
  }
}
