// The emulator's request log: one row per call (organization, method, path, API key, grant type, test
// user, bank_tran_id, rsp_code, bank_rsp_code, latency, unknown-field warnings, and the request and
// response bodies). Recording never makes a call wait: record() keeps references, and the batch writer
// masks secrets (./secret-masking.ts), serialises and writes the entries after the answers have gone out.
// On SQLite a write batch is two appends: the headers and bodies as ONE document
// (testbed_request_log_bodies), and the rows as ONE document (testbed_request_log_pending). Unpacking the
// rows into indexed testbed_request_log rows is SQLite's costliest part of the log (about 13 µs a row),
// so it runs off the answers' path: once the emulator has been idle for IDLE_MS, whenever a reader asks,
// at start-up and shutdown, and, while calls keep coming, as soon as more than MAX_PENDING_DOCUMENTS
// documents wait (so a reader never waits for more than that). See `npm run bench:log-writes`.
// Readers call flush() first (./request-log-queries.ts does) to see everything recorded so far.
// Rows older than the retention (REQUEST_LOG_RETENTION_DAYS) are pruned in the background in bounded batches.
// Every row added or pruned is counted into testbed_request_usage in the same transaction or statement
// (./request-usage-rollup.ts): the usage pages read those counts, which always equal a count over the log.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import { createRowInserter } from '../../db/insert-rows';
import { isPostgres } from '../../db/knex';
import { isWellFormedText } from '../../db/write-and-commit';
import { kstDateOf } from '../ledger/kst-time';
import { addRowsAfter, dropEmptyRollups, lastSeq, rollupSql } from './request-usage-rollup';
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
const STORED_BODY_MAX = 32 * 1024;
const BATCH_ROWS = 80;
const PRUNE_BATCH = 2000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

const COLUMNS = [
  'organization_id',
  'client_use_code',
  'method',
  'path',
  'rsp_code',
  'bank_rsp_code',
  'warnings',
  'api_tran_id',
  'duration_ms',
  'created_at',
  'api',
  'grant_type',
  'user_seq_no',
  'bank_tran_id',
  'request_headers',
  'request_body',
  'response_body',
] as const;
const insertLogRows = createRowInserter<Record<string, unknown>>('testbed_request_log', COLUMNS);
/** The columns holding JSON documents (headers and bodies). */
const JSON_COLUMNS = new Set(['request_headers', 'request_body', 'response_body']);
const SCALAR_COUNT = COLUMNS.length - JSON_COLUMNS.size; // JSON columns come last
/** Rows per bodies document: a detail page parses one document to show one call, so keep them small. */
const BODY_BATCH_ROWS = 100;
/**
 * SQLite: the scalar columns of a chunk as one JSON array of rows (the pending document, unpacked by
 * SQLite later), each row ending with its bodies document's id and its index in it; the bodies go in one
 * text value per chunk, serialised once, never unpacked on write.
 */
const SCALAR_COLUMNS = [...COLUMNS.slice(0, SCALAR_COUNT), 'body_batch', 'body_index'];
const SQLITE_BODIES_INSERT = 'INSERT INTO "testbed_request_log_bodies" ("id", "last_at", "documents") VALUES (?, ?, ?)';
const SQLITE_PENDING_INSERT = 'INSERT INTO "testbed_request_log_pending" ("rows") VALUES (?)';
/**
 * Pending documents up to a seq, unpacked into log rows in the order they were written. jsonb_each hands
 * each row over as binary JSON, so the 16 fields are read without parsing the row's text 16 times
 * (SQLite 3.51+; older builds fall back to json_each).
 */
const indexSql = (each: 'jsonb_each(jsonb(p."rows"))' | 'json_each(p."rows")') =>
  `INSERT INTO "testbed_request_log" (${SCALAR_COLUMNS.map((c) => `"${c}"`).join(', ')}) ` +
  `SELECT ${SCALAR_COLUMNS.map((_, i) => `r.value ->> ${i}`).join(', ')} FROM "testbed_request_log_pending" p, ${each} r WHERE p."seq" <= ? ORDER BY p."seq", r."key"`;
/** Rows of a batch beyond this many waiting documents are indexed right after they are written. */
const MAX_PENDING_DOCUMENTS = 1000;
/** The emulator counts as idle after this long without a call; the backlog is then indexed in steps. */
const IDLE_MS = 200;
const IDLE_STEP_DOCUMENTS = 20;

/** A body as it may be logged: itself, or a masked copy when it names a secret field; null when absent. */
function loggableBody(body: unknown): unknown {
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

export interface RequestLogOptions {
  db: Knex;
  clock: Clock;
  flushAfterMs?: number;
  retentionDays?: number;
  onError?: (err: unknown) => void;
  /** SQLite: how long without a call counts as idle (default IDLE_MS). */
  idleMs?: number;
  /** SQLite: the bound on documents waiting to be indexed (default MAX_PENDING_DOCUMENTS). */
  maxPendingDocuments?: number;
  /** Told of every call as it is recorded, and of every batch written (src/ops/metrics.ts when /metrics is on). */
  observer?: {
    recorded(api: string | null, rspCode: string | null): void;
    batchWritten(rows: number, seconds: number): void;
  } | null;
}

export function createRequestLog(deps: RequestLogOptions) {
  let pending: { e: RequestLogEntry; at: string }[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const delay = deps.flushAfterMs ?? 250;
  const deferIndexing = !isPostgres(deps.db);
  const idleMs = deps.idleMs ?? IDLE_MS;
  const maxPending = deps.maxPendingDocuments ?? MAX_PENDING_DOCUMENTS;
  /** Documents written but not yet indexed (as far as this instance knows; indexing asks the database). */
  let pendingDocuments = 0;
  let lastRecordAt = 0;
  let idleTimer: NodeJS.Timeout | null = null;
  let indexStatement: string | null = null;

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
    return e.requestSize !== undefined && e.requestSize !== null && e.requestSize > STORED_BODY_MAX
      ? { _truncated: true, _size: e.requestSize }
      : null;
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
   * A write batch in two statements, whatever its size: every chunk's bodies document in one multi-row
   * insert, then every chunk's rows document in another (a row never names a bodies document that is not
   * there; a bodies document whose rows were lost is pruned with its age). A chunk JSON cannot carry
   * exactly (a lone surrogate, a cycle, a bigint, deep nesting) goes row by row into the indexed table,
   * its bodies in the rows' own columns.
   */
  async function insertSqlite(batch: { e: RequestLogEntry; at: string }[]): Promise<void> {
    const bodies: unknown[] = [];
    const rowsDocuments: string[] = [];
    for (let i = 0; i < batch.length; i += BODY_BATCH_ROWS) {
      const chunk = batch.slice(i, i + BODY_BATCH_ROWS);
      const id = randomUUID();
      let rowsText: string | null = null;
      let documents: string | null = null;
      try {
        const matrix = chunk.map((p, j) => toScalarRow(p, id, j));
        if (matrix.every((r) => r !== null)) {
          documents = JSON.stringify(chunk.map((p) => documentsOf(p.e)));
          rowsText = JSON.stringify(matrix);
        }
      } catch {
        rowsText = null;
      }
      if (rowsText === null || documents === null) {
        await deps.db.transaction(async (trx) => {
          const before = await lastSeq(trx);
          await insertLogRows(
            trx,
            chunk.map((p) => toRow(p)),
          );
          await addRowsAfter(trx, before);
        });
        continue;
      }
      bodies.push(id, chunk[chunk.length - 1]!.at, documents);
      rowsDocuments.push(rowsText);
    }
    if (rowsDocuments.length === 0) return;
    await deps.db.raw(SQLITE_BODIES_INSERT + ', (?, ?, ?)'.repeat(rowsDocuments.length - 1), bodies as never);
    await deps.db.raw(SQLITE_PENDING_INSERT + ', (?)'.repeat(rowsDocuments.length - 1), rowsDocuments);
    pendingDocuments += rowsDocuments.length;
  }

  /**
   * PostgreSQL: each insert statement and the rollup of the rows it inserted as ONE statement (a CTE over
   * INSERT … RETURNING), so several instances writing at once each count exactly their own rows.
   */
  async function insertPostgres(rows: Record<string, unknown>[]): Promise<void> {
    for (const s of insertLogRows.statements(deps.db, rows)) {
      const sql = `WITH ins AS (${s.sql} RETURNING organization_id, created_at, api, rsp_code, bank_rsp_code, duration_ms) ${rollupSql(deps.db, 'ins', 'true')}`;
      await deps.db.raw(sql, s.bindings as never[]);
    }
  }

  /** The SQL that unpacks pending documents (jsonb_each where this SQLite has it). */
  async function unpackSql(): Promise<string> {
    if (indexStatement) return indexStatement;
    let each: 'jsonb_each(jsonb(p."rows"))' | 'json_each(p."rows")' = 'jsonb_each(jsonb(p."rows"))';
    try {
      await deps.db.raw("SELECT count(*) FROM jsonb_each(jsonb('[1]'))");
    } catch {
      each = 'json_each(p."rows")';
    }
    indexStatement = indexSql(each);
    return indexStatement;
  }

  /**
   * Unpacks up to `limit` of the oldest pending documents into log rows, in one transaction (rows in,
   * documents out: a crash leaves either). Resolves to the number of documents indexed.
   */
  async function indexPending(limit: number): Promise<number> {
    // Nothing this instance wrote (or found at start-up) is waiting: a reader's flush costs no transaction.
    // (One SQLite file has one writing instance; PostgreSQL never defers.)
    if (!deferIndexing || pendingDocuments === 0) return 0;
    const sql = await unpackSql();
    const done = await deps.db.transaction(async (trx) => {
      const q = trx('testbed_request_log_pending').orderBy('seq', 'asc').select('seq');
      const seqs: { seq: number | string }[] = Number.isFinite(limit) ? await q.limit(limit) : await q;
      if (seqs.length === 0) return 0;
      const upTo = Number(seqs[seqs.length - 1]!.seq);
      const before = await lastSeq(trx);
      await trx.raw(sql, [upTo]);
      await addRowsAfter(trx, before); // this is the file's only writer: the rows above `before` are these
      await trx('testbed_request_log_pending').where('seq', '<=', upTo).delete();
      return seqs.length;
    });
    pendingDocuments = Math.max(0, pendingDocuments - done);
    if (!Number.isFinite(limit) || done < limit) pendingDocuments = 0;
    return done;
  }

  /** After IDLE_MS without a call, index the backlog in steps, giving way to calls between steps. */
  function scheduleIdleIndexing(): void {
    if (!deferIndexing || idleTimer || pendingDocuments === 0) return;
    idleTimer = setTimeout(() => {
      idleTimer = null;
      if (Date.now() - lastRecordAt < idleMs) {
        scheduleIdleIndexing();
        return;
      }
      void enqueue(async () => {
        await indexPending(IDLE_STEP_DOCUMENTS);
      }).then(() => scheduleIdleIndexing());
    }, idleMs);
    idleTimer.unref();
  }

  /** Runs log work one job after another (the writes, the indexing); a failure is reported, not thrown. */
  function enqueue(work: () => Promise<void>): Promise<void> {
    writing = writing.then(async () => {
      try {
        await work();
      } catch (err) {
        deps.onError?.(err);
      }
    });
    return writing;
  }

  function writeOut(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.length === 0) return writing;
    const batch = pending;
    pending = [];
    const written = enqueue(async () => {
      const started = deps.observer ? performance.now() : 0;
      // Masking and serialising happen here, after the answers went out, not on the call's path.
      if (!deferIndexing) {
        await insertPostgres(batch.map((p) => toRow(p)));
        deps.observer?.batchWritten(batch.length, (performance.now() - started) / 1000);
        return;
      }
      await insertSqlite(batch);
      deps.observer?.batchWritten(batch.length, (performance.now() - started) / 1000);
      // Calls keep coming and the backlog is at its bound: index as much as was just written.
      if (pendingDocuments > maxPending) await indexPending(pendingDocuments - maxPending);
    });
    void written.then(scheduleIdleIndexing);
    return written;
  }

  /** Writes what was recorded, then indexes every pending document: what readers need before a query. */
  function writeAndIndex(): Promise<void> {
    void writeOut();
    return enqueue(async () => {
      await indexPending(Infinity);
    });
  }

  /**
   * One prune batch: the oldest PRUNE_BATCH rows before the cutoff are deleted and subtracted from the
   * rollup together. PostgreSQL: one statement subtracting what its DELETE … RETURNING removed (two
   * instances pruning at once never subtract a row twice); SQLite (one writer): subtract, then delete, in
   * one transaction.
   */
  async function pruneBatch(cutoff: string): Promise<number> {
    return deps.db.transaction(async (trx): Promise<number> => {
      const seqs = (
        await trx('testbed_request_log')
          .where('created_at', '<', cutoff)
          .orderBy('created_at', 'asc')
          .limit(PRUNE_BATCH)
          .select('seq')
      ).map((r: { seq: number | string }) => Number(r.seq));
      if (seqs.length === 0) return 0;
      const list = seqs.map(() => '?').join(', ');
      if (!deferIndexing) {
        const res = (await trx.raw(
          `WITH del AS (DELETE FROM testbed_request_log WHERE seq IN (${list}) RETURNING organization_id, created_at, api, rsp_code, bank_rsp_code, duration_ms), ` +
            `roll AS (${rollupSql(trx, 'del', 'true', -1)}) SELECT COUNT(*) AS n FROM del`,
          seqs,
        )) as { rows: { n: number | string }[] };
        return Number(res.rows[0]?.n ?? 0);
      }
      await trx.raw(rollupSql(trx, 'testbed_request_log', `seq IN (${list})`, -1), seqs);
      return Number(await trx('testbed_request_log').whereIn('seq', seqs).delete());
    });
  }

  // Retention: delete the oldest rows in bounded batches, one batch per turn of the event loop's timers,
  // so a large backlog never holds the writer for long.
  const retentionDays = deps.retentionDays ?? 30;
  let pruneTimer: NodeJS.Timeout | null = null;
  let pruning: Promise<number> | null = null;
  async function pruneOnce(maxBatches = 50): Promise<number> {
    await writeAndIndex();
    const cutoff = new Date(deps.clock().getTime() - retentionDays * 86_400_000).toISOString();
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await pruneBatch(cutoff);
      total += n;
      if (n < PRUNE_BATCH) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    if (total > 0) {
      const day = kstDateOf(new Date(cutoff));
      await dropEmptyRollups(deps.db, `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`);
    }
    // Bodies documents whose newest row is past the retention (their rows were deleted above).
    for (let i = 0; i < maxBatches; i++) {
      const ids = deps
        .db('testbed_request_log_bodies')
        .where('last_at', '<', cutoff)
        .orderBy('last_at', 'asc')
        .limit(PRUNE_BATCH / 20)
        .select('id');
      const n = await deps.db('testbed_request_log_bodies').whereIn('id', ids).delete();
      if (n < PRUNE_BATCH / 20) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return total;
  }

  return {
    record(e: RequestLogEntry): void {
      pending.push({ e, at: deps.clock().toISOString() });
      deps.observer?.recorded(e.api ?? null, e.rspCode);
      lastRecordAt = Date.now();
      if (pending.length >= BATCH_ROWS * 4) void writeOut();
      else if (!timer) {
        timer = setTimeout(() => void writeOut(), delay);
        timer.unref();
      }
    },

    /** Writes everything recorded so far and indexes it: after this, queries see every recorded call. */
    flush(): Promise<void> {
      return writeAndIndex();
    },

    /** Writes everything recorded so far, leaving the indexing to idle time (what the batch timer does). */
    write(): Promise<void> {
      return writeOut();
    },

    /** Documents written and not yet indexed, as this instance counts them. */
    pendingDocuments(): number {
      return pendingDocuments;
    },

    /** Deletes rows older than the retention, in batches of PRUNE_BATCH; resolves to the number deleted. */
    prune(): Promise<number> {
      if (!pruning)
        pruning = pruneOnce().finally(() => {
          pruning = null;
        });
      return pruning;
    },

    /** At start-up: indexes what an earlier run wrote and did not index (after a crash, say). */
    async start(): Promise<void> {
      if (!deferIndexing) return;
      const row = (await deps.db('testbed_request_log_pending').count({ n: '*' }).first()) as
        | { n: number | string }
        | undefined;
      pendingDocuments = Number(row?.n ?? 0);
      if (pendingDocuments > 0)
        await enqueue(async () => {
          await indexPending(Infinity);
        });
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
      if (pruneTimer) {
        clearTimeout(pruneTimer);
        pruneTimer = null;
      }
      if (idleTimer) {
        clearTimeout(idleTimer);
        idleTimer = null;
      }
      await pruning?.catch(() => 0);
      await writeAndIndex();
    },
  };
}
export type RequestLog = ReturnType<typeof createRequestLog>;
