// The emulator's request log: one row per call (organization, method, path, rsp_code, bank_rsp_code,
// unknown-field warnings). Rows are buffered and written in small batches so a call never waits for
// the log; readers call flush() first (list() does) to see everything recorded so far.
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import { createRowInserter } from '../../db/insert-rows';

export interface RequestLogEntry {
  organizationId: string | null;
  clientUseCode: string | null;
  method: string;
  path: string;
  rspCode: string | null;
  bankRspCode: string | null;
  warnings: string[];
  apiTranId: string | null;
  durationMs: number | null;
}

export interface RequestLogRow {
  seq: number; organizationId: string | null; clientUseCode: string | null; method: string; path: string;
  rspCode: string | null; bankRspCode: string | null; warnings: string[]; apiTranId: string | null; durationMs: number | null; createdAt: string;
}

const BATCH_ROWS = 80;
const insertLogRows = createRowInserter<Record<string, unknown>>('testbed_request_log', [
  'organization_id', 'client_use_code', 'method', 'path', 'rsp_code', 'bank_rsp_code', 'warnings', 'api_tran_id', 'duration_ms', 'created_at',
]);

export function createRequestLog(deps: { db: Knex; clock: Clock; flushAfterMs?: number; onError?: (err: unknown) => void }) {
  let buffer: Record<string, unknown>[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const delay = deps.flushAfterMs ?? 250;

  function writeOut(): Promise<void> {
    if (timer) { clearTimeout(timer); timer = null; }
    if (buffer.length === 0) return writing;
    const rows = buffer;
    buffer = [];
    writing = writing.then(async () => {
      try {
        await insertLogRows(deps.db, rows);
      } catch (err) {
        deps.onError?.(err);
      }
    });
    return writing;
  }

  return {
    record(e: RequestLogEntry): void {
      buffer.push({
        organization_id: e.organizationId,
        client_use_code: e.clientUseCode,
        method: e.method.slice(0, 10),
        path: e.path.slice(0, 200),
        rsp_code: e.rspCode ? e.rspCode.slice(0, 5) : null,
        bank_rsp_code: e.bankRspCode ? e.bankRspCode.slice(0, 3) : null,
        warnings: e.warnings.length ? JSON.stringify(e.warnings) : null,
        api_tran_id: e.apiTranId ? e.apiTranId.slice(0, 40) : null,
        duration_ms: e.durationMs === null ? null : Math.round(e.durationMs),
        created_at: deps.clock().toISOString(),
      });
      if (buffer.length >= BATCH_ROWS * 4) void writeOut();
      else if (!timer) {
        timer = setTimeout(() => void writeOut(), delay);
        timer.unref();
      }
    },

    /** Writes everything recorded so far. */
    flush(): Promise<void> {
      return writeOut();
    },

    /**
     * Per endpoint (method + path): calls, successful calls and the last call, for one organization — the
     * testing stage's evidence. Successful = rsp_code A0000 with bank_rsp_code 000 (or no bank leg), or a
     * token answer (which carries no rsp_code on success).
     */
    async summary(organizationId: string): Promise<{ method: string; path: string; calls: number; ok: number; lastAt: string }[]> {
      await writeOut();
      const rows = await deps.db('testbed_request_log').where({ organization_id: organizationId })
        .select('method', 'path')
        .count({ calls: '*' })
        .sum({ ok: deps.db.raw("CASE WHEN (rsp_code = 'A0000' AND (bank_rsp_code IS NULL OR bank_rsp_code = '000')) OR rsp_code IS NULL THEN 1 ELSE 0 END") })
        .max({ last_at: 'created_at' })
        .groupBy('method', 'path')
        .orderBy('path', 'asc');
      return rows.map((r: Record<string, unknown>) => ({ method: r.method as string, path: r.path as string, calls: Number(r.calls), ok: Number(r.ok ?? 0), lastAt: r.last_at as string }));
    },

    /** Newest first, for one organization. */
    async list(organizationId: string, opts: { limit?: number; sinceSeq?: number } = {}): Promise<RequestLogRow[]> {
      await writeOut();
      const q = deps.db('testbed_request_log').where({ organization_id: organizationId }).orderBy('seq', 'desc').limit(Math.min(opts.limit ?? 100, 1000));
      if (opts.sinceSeq !== undefined) q.andWhere('seq', '>', opts.sinceSeq);
      const rows = await q;
      return rows.map((r: Record<string, unknown>) => ({
        seq: Number(r.seq), organizationId: r.organization_id as string | null, clientUseCode: r.client_use_code as string | null,
        method: r.method as string, path: r.path as string, rspCode: r.rsp_code as string | null, bankRspCode: r.bank_rsp_code as string | null,
        warnings: r.warnings ? JSON.parse(r.warnings as string) : [], apiTranId: r.api_tran_id as string | null,
        durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms), createdAt: r.created_at as string,
      }));
    },
  };
}
export type RequestLog = ReturnType<typeof createRequestLog>;
