// The emulator's request log: one row per call (organization, method, path, API key, grant type, test
// user, bank_tran_id, rsp_code, bank_rsp_code, latency, unknown-field warnings, and the request and
// response bodies). Recording never makes a call wait: record() keeps references, and the batch writer
// masks secrets (./secret-masking.ts), serialises and inserts the rows after the answers have gone out.
// On SQLite the headers and bodies of a batch are written as ONE document (testbed_request_log_bodies),
// each row naming its batch and index: a fraction of the database work of a wide row per call (see
// migrations/20261203002100_request_log_body_batches.ts and `npm run bench:log-writes`).
// Readers call flush() first (./request-log-queries.ts does) to see everything recorded so far.
// Rows older than the retention (REQUEST_LOG_RETENTION_DAYS) are pruned in the background in bounded batches.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import { createRowInserter } from '../../db/insert-rows';
import { isPostgres } from '../../db/knex';
import { isWellFormedText } from '../../db/write-and-commit';
import { hasSecretKey, maskAuthorization, maskSecrets } from './secret-masking';

export interface RequestLogEntry {
  organizationId: string | null;
  clientUseCode: string | null;
  method: string;
  path: string;
  /** Catalogue key (`balance`, `withdraw`, …), `oauth_token`, `authorize`, `sandbox_authorize`; null when unknown. */
  api?: string | null;
  grantType?: string | null;
  userSeqNo?: string | null;
  bankTranId?: string | null;
  rspCode: string | null;
  bankRspCode: string | null;
  warnings: string[];
  apiTranId: string | null;
  durationMs: number | null;
  /** Bytes the client sent (Content-Length, or the URL for a GET): a larger body than STORED_BODY_MAX is noted by size. */
  requestSize?: number | null;
  /** Kept by reference; masked and serialised by the batch writer. */
  authorization?: string | null;
  contentType?: string | null;
  requestBody?: unknown;
  responseBody?: unknown;
}

/** A body serialised larger than this is stored as a note of its size (the page shows it as such). */
export const STORED_BODY_MAX = 32 * 1024;
const BATCH_ROWS = 80;
const PRUNE_BATCH = 2000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

const COLUMNS = [
  'organization_id', 'client_use_code', 'method', 'path', 'rsp_code', 'bank_rsp_code', 'warnings', 'api_tran_id', 'duration_ms', 'created_at',
  'api', 'grant_type', 'user_seq_no', 'bank_tran_id', 'request_headers', 'request_body', 'response_body',
] as const;
const insertLogRows = createRowInserter<Record<string, unknown>>('testbed_request_log', COLUMNS);
/** The columns holding JSON documents (headers and bodies). */
const JSON_COLUMNS = new Set(['request_headers', 'request_body', 'response_body']);
const SCALAR_COUNT = COLUMNS.length - JSON_COLUMNS.size; // JSON columns come last
/** Rows per bodies document: a detail page parses one document to show one call, so keep them small. */
const BODY_BATCH_ROWS = 100;
/**
 * SQLite: the scalar columns of a chunk as one JSON array of rows (unpacked by SQLite on its worker
 * thread), each row ending with its bodies document's id and its index in it; the documents go in one
 * text value per chunk, serialised once, never unpacked on write.
 */
const SCALAR_COLUMNS = [...COLUMNS.slice(0, SCALAR_COUNT), 'body_batch', 'body_index'];
const SQLITE_ROWS_INSERT = `INSERT INTO "testbed_request_log" (${SCALAR_COLUMNS.map((c) => `"${c}"`).join(', ')}) SELECT ${SCALAR_COLUMNS
  .map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?)`;
const SQLITE_BODIES_INSERT = 'INSERT INTO "testbed_request_log_bodies" ("id", "last_at", "documents") VALUES (?, ?, ?)';

/** A body as it may be logged: itself, or a masked copy when it names a secret field; null when absent. */
export function loggableBody(body: unknown): unknown {
  if (body === undefined || body === null || body === '') return null;
  if (typeof body !== 'object') return body;
  return hasSecretKey(body) ? maskSecrets(body) : body;
}

function short(v: string | null | undefined, max: number): string | null {
  return typeof v === 'string' && v !== '' ? v.slice(0, max) : null;
}

/** Masked JSON text of a body, or null when there was none (the PostgreSQL path and row-by-row fallback). */
export function storedBody(body: unknown): string | null {
  let text: string | undefined;
  try {
    text = JSON.stringify(loggableBody(body));
  } catch {
    return JSON.stringify({ _unreadable: true });
  }
  if (text === undefined || text === 'null') return null;
  if (text.length > STORED_BODY_MAX) return JSON.stringify({ _truncated: true, _size: text.length });
  return text; // JSON.stringify escapes lone surrogates, so the text is always well formed
}

export function createRequestLog(deps: { db: Knex; clock: Clock; flushAfterMs?: number; retentionDays?: number; onError?: (err: unknown) => void }) {
  let pending: { e: RequestLogEntry; at: string }[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const delay = deps.flushAfterMs ?? 250;

  function headersOf(e: RequestLogEntry): Record<string, string> | null {
    if (!e.contentType && !e.authorization) return null;
    const headers: Record<string, string> = {};
    if (e.contentType) headers['content-type'] = e.contentType.slice(0, 100);
    if (e.authorization) headers.authorization = maskAuthorization(e.authorization.slice(0, 40));
    return headers;
  }

  /** SQLite's batch row: the scalar columns in COLUMNS order, then the bodies document's id and index. */
  function toScalarRow(p: { e: RequestLogEntry; at: string }, batch: string, index: number): unknown[] | null {
    const r = toRow(p, false);
    const out: unknown[] = new Array(SCALAR_COLUMNS.length);
    for (let i = 0; i < SCALAR_COUNT; i++) {
      const v = r[COLUMNS[i]!];
      if (typeof v === 'string' && !isWellFormedText(v)) return null; // would not survive JSON exactly
      out[i] = v === undefined ? null : v;
    }
    out[SCALAR_COUNT] = batch;
    out[SCALAR_COUNT + 1] = index;
    return out;
  }

  /** One row's entry in its bodies document: [request_headers, request_body, response_body]. */
  function documentsOf(e: RequestLogEntry): unknown[] {
    return [headersOf(e), tooLarge(e) ?? loggableBody(e.requestBody), loggableBody(e.responseBody)];
  }

  /** A request body beyond STORED_BODY_MAX (by the size the client sent) is noted by its size only. */
  function tooLarge(e: RequestLogEntry): unknown {
    return e.requestSize !== undefined && e.requestSize !== null && e.requestSize > STORED_BODY_MAX ? { _truncated: true, _size: e.requestSize } : null;
  }

  function toRow({ e, at }: { e: RequestLogEntry; at: string }, withDocuments = true): Record<string, unknown> {
    const headers = withDocuments ? headersOf(e) : null;
    return {
      organization_id: e.organizationId,
      client_use_code: short(e.clientUseCode, 10),
      method: e.method.slice(0, 10),
      path: e.path.slice(0, 200),
      rsp_code: short(e.rspCode, 5),
      bank_rsp_code: short(e.bankRspCode, 3),
      warnings: e.warnings.length ? JSON.stringify(e.warnings) : null,
      api_tran_id: short(e.apiTranId, 40),
      duration_ms: e.durationMs === null ? null : Math.round(e.durationMs),
      created_at: at,
      api: short(e.api, 40),
      grant_type: short(e.grantType, 30),
      user_seq_no: short(e.userSeqNo, 10),
      bank_tran_id: short(e.bankTranId, 40),
      request_headers: headers ? JSON.stringify(headers) : null,
      request_body: withDocuments ? storedBody(e.requestBody) : null,
      response_body: withDocuments ? storedBody(e.responseBody) : null,
    };
  }

  /**
   * Two statements for the chunk, the bodies document first (a row never names a document that is not
   * there; a document whose rows failed to insert is pruned with its age). A chunk JSON cannot carry
   * exactly (a cycle, a bigint, deep nesting) goes row by row, its documents in the rows' own columns.
   */
  async function insertSqlite(chunk: { e: RequestLogEntry; at: string }[]): Promise<void> {
    let rowsText: string | null = null;
    let documents: string | null = null;
    const batch = randomUUID();
    try {
      const matrix = chunk.map((p, i) => toScalarRow(p, batch, i));
      if (matrix.every((r) => r !== null)) {
        documents = JSON.stringify(chunk.map((p) => documentsOf(p.e)));
        rowsText = JSON.stringify(matrix);
      }
    } catch {
      rowsText = null;
    }
    if (rowsText === null || documents === null) {
      await insertLogRows(deps.db, chunk.map((p) => toRow(p)));
      return;
    }
    await deps.db.raw(SQLITE_BODIES_INSERT, [batch, chunk[chunk.length - 1]!.at, documents]);
    await deps.db.raw(SQLITE_ROWS_INSERT, [rowsText]);
  }

  function writeOut(): Promise<void> {
    if (timer) { clearTimeout(timer); timer = null; }
    if (pending.length === 0) return writing;
    const batch = pending;
    pending = [];
    writing = writing.then(async () => {
      try {
        // Masking and serialising happen here, after the answers went out, not on the call's path.
        if (isPostgres(deps.db)) await insertLogRows(deps.db, batch.map((p) => toRow(p)));
        else for (let i = 0; i < batch.length; i += BODY_BATCH_ROWS) await insertSqlite(batch.slice(i, i + BODY_BATCH_ROWS));
      } catch (err) {
        deps.onError?.(err);
      }
    });
    return writing;
  }

  // Retention: delete the oldest rows in bounded batches, one batch per turn of the event loop's timers,
  // so a large backlog never holds the writer for long.
  const retentionDays = deps.retentionDays ?? 30;
  let pruneTimer: NodeJS.Timeout | null = null;
  let pruning: Promise<number> | null = null;
  async function pruneOnce(maxBatches = 50): Promise<number> {
    const cutoff = new Date(deps.clock().getTime() - retentionDays * 86_400_000).toISOString();
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const ids = deps.db('testbed_request_log').where('created_at', '<', cutoff).orderBy('created_at', 'asc').limit(PRUNE_BATCH).select('seq');
      const n = await deps.db('testbed_request_log').whereIn('seq', ids).delete();
      total += n;
      if (n < PRUNE_BATCH) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // Bodies documents whose newest row is past the retention (their rows were deleted above).
    for (let i = 0; i < maxBatches; i++) {
      const ids = deps.db('testbed_request_log_bodies').where('last_at', '<', cutoff).orderBy('last_at', 'asc').limit(PRUNE_BATCH / 20).select('id');
      const n = await deps.db('testbed_request_log_bodies').whereIn('id', ids).delete();
      if (n < PRUNE_BATCH / 20) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return total;
  }

  return {
    record(e: RequestLogEntry): void {
      pending.push({ e, at: deps.clock().toISOString() });
      if (pending.length >= BATCH_ROWS * 4) void writeOut();
      else if (!timer) {
        timer = setTimeout(() => void writeOut(), delay);
        timer.unref();
      }
    },

    /** Writes everything recorded so far. */
    flush(): Promise<void> {
      return writeOut();
    },

    /** Deletes rows older than the retention, in batches of PRUNE_BATCH; resolves to the number deleted. */
    prune(): Promise<number> {
      if (!pruning) pruning = pruneOnce().finally(() => { pruning = null; });
      return pruning;
    },

    /** Starts the background prune (shortly after start, then hourly). */
    startPruning(): void {
      if (pruneTimer || retentionDays <= 0) return;
      const run = () => {
        void this.prune().catch((err) => deps.onError?.(err));
        pruneTimer = setTimeout(run, PRUNE_EVERY_MS);
        pruneTimer.unref();
      };
      pruneTimer = setTimeout(run, 30_000);
      pruneTimer.unref();
    },

    async stop(): Promise<void> {
      if (pruneTimer) { clearTimeout(pruneTimer); pruneTimer = null; }
      await pruning?.catch(() => 0);
      await writeOut();
    },
  };
}
export type RequestLog = ReturnType<typeof createRequestLog>;
