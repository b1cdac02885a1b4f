// The request log's read interface: what the portal (the requests pages, the JSON API, the testing
// stage's conformance checklist) may ask of the emulator's record. Every query names one organization;
// a cursor or id from another organization finds nothing. Pages are cursor-paginated on `seq` (newest
// first) so they stay on an index however large the log grows.
import type { Knex } from 'knex';
import { isPostgres, rawRows, unionAllOfLimited } from '../../db/knex';
import { SUCCESS_SQL } from './call-success';
import type { RequestLog } from './request-log';

export { PAGE_SIZE_MAX } from '../../pagination/cursor';
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from '../../pagination/cursor';

/** The largest request number: `seq` is an integer column (int4 on PostgreSQL, which refuses a larger value). */
export const MAX_REQUEST_SEQ = 2_147_483_647;

export interface RequestLogFilter {
  api?: string;
  /** 'success', 'error', or one rsp_code (A0000, O0001, …). */
  result?: string;
  userSeqNo?: string;
  /** ISO instants, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  /** Cursor: rows with seq below this (older: the next page). */
  before?: number;
  /** Cursor: rows with seq above this (newer: the previous page). */
  after?: number;
  limit?: number;
}

export interface RequestSummary {
  id: number;
  at: string;
  method: string;
  path: string;
  api: string | null;
  grantType: string | null;
  rspCode: string | null;
  bankRspCode: string | null;
  durationMs: number | null;
  bankTranId: string | null;
  apiTranId: string | null;
  userSeqNo: string | null;
  warnings: string[];
  success: boolean;
}

export interface RequestDetail extends RequestSummary {
  organizationId: string;
  clientUseCode: string | null;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  responseBody: unknown;
}

const SUMMARY_COLUMNS = [
  'seq',
  'created_at',
  'method',
  'path',
  'api',
  'grant_type',
  'rsp_code',
  'bank_rsp_code',
  'duration_ms',
  'bank_tran_id',
  'api_tran_id',
  'user_seq_no',
  'warnings',
];

function isSuccess(rspCode: string | null, bankRspCode: string | null): boolean {
  return rspCode === null || (rspCode === 'A0000' && (bankRspCode === null || bankRspCode === '000'));
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toSummary(r: Record<string, unknown>): RequestSummary {
  const rspCode = (r.rsp_code as string | null) ?? null;
  const bankRspCode = (r.bank_rsp_code as string | null) ?? null;
  return {
    id: Number(r.seq),
    at: r.created_at as string,
    method: r.method as string,
    path: r.path as string,
    api: (r.api as string | null) ?? null,
    grantType: (r.grant_type as string | null) ?? null,
    rspCode,
    bankRspCode,
    durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
    bankTranId: (r.bank_tran_id as string | null) ?? null,
    apiTranId: (r.api_tran_id as string | null) ?? null,
    userSeqNo: (r.user_seq_no as string | null) ?? null,
    warnings: (parseJson(r.warnings) as string[] | null) ?? [],
    success: isSuccess(rspCode, bankRspCode),
  };
}

export interface EvidenceCriteria {
  apis?: readonly string[];
  grantType?: string;
  method?: string;
  /** Path ends with this (the authorize pages' steps). */
  pathSuffix?: string;
  success?: boolean;
  rspCodes?: readonly string[];
  bankRspCodes?: readonly string[];
  bankTranIds?: readonly string[];
  /** Only rows recorded at or after this instant. */
  since: string;
  /** Also read the bodies (parsed). */
  withBodies?: boolean;
  /** Oldest first (default) or newest first. */
  newestFirst?: boolean;
  limit: number;
}

/** The columns that locate or hold a row's headers and bodies (see documentsOf). */
const DOCUMENT_COLUMNS = ['body_batch', 'body_index', 'request_headers', 'request_body', 'response_body'];

/** One branch of an evidence criterion (see branchesOf): an API and an rsp_code, or null for none. */
interface EvidenceBranch {
  api?: string;
  rsp?: { code: string | null; bankSucceeded?: boolean };
}

/**
 * How long before `since` the evidence's seq bound is taken: far beyond the delay of any write batch, so a row
 * recorded at or after `since` was always written after the row the bound names.
 */
const EVIDENCE_SINCE_MARGIN_MS = 60 * 60 * 1000;

export interface RequestDocuments {
  headers: unknown;
  requestBody: unknown;
  responseBody: unknown;
}

export interface EvidenceRow extends RequestSummary {
  requestBody?: unknown;
  responseBody?: unknown;
}

/**
 * evidenceStamp's two numbers (SQLite only), for the organization and the instant `since`: the organization's calls
 * on Korean days from since's on, from the usage rollup (testbed_request_usage: the log's own count, kept in the
 * same transaction as every row written or pruned; a few rows per day, not one per call), and the highest seq of
 * its calls past the evidence's seq bound: one seek at the end of the organization's range of the
 * (organization_id, seq) index, read backwards. (Walking the log back from its newest row instead, as this once
 * did, visits every later call of every other organization: 233 ms against 5 ms for a quiet organization behind
 * 500,000 calls of a busy one.)
 */
const STAMP_COUNT_SQL = 'select coalesce(sum(calls), 0) from "testbed_request_usage" where org_key = ? and day >= ?';
const STAMP_HIGHEST_SQL =
  'select seq from "testbed_request_log" where organization_id = ? and seq > coalesce(' +
  '(select seq from "testbed_request_log" where created_at < ? order by created_at desc limit 1), 0) ' +
  'order by seq desc limit 1';
const EVIDENCE_STAMP_SQL = `select (${STAMP_COUNT_SQL}) as n, (${STAMP_HIGHEST_SQL}) as hi`;
/** The Korean day (KST = UTC+9) of an ISO instant, as the rollup's `day` column holds it. */
const kstDay = (iso: string) => new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 10);

export function createRequestLogQueries(deps: { db: Knex; log: Pick<RequestLog, 'flush'> }) {
  const { db } = deps;

  function applyFilter(q: Knex.QueryBuilder, f: RequestLogFilter) {
    if (f.api) q.andWhere('api', f.api);
    if (f.result === 'success') q.andWhereRaw(SUCCESS_SQL);
    else if (f.result === 'error') q.andWhereRaw(`NOT ${SUCCESS_SQL}`);
    else if (f.result) q.andWhere('rsp_code', f.result);
    if (f.userSeqNo) q.andWhere('user_seq_no', f.userSeqNo);
    if (f.before !== undefined) q.andWhere('seq', '<', f.before);
    if (f.after !== undefined) q.andWhere('seq', '>', f.after);
  }

  /**
   * A time range as a range of `seq`: the log is written in the order calls were recorded, so the first row
   * at or after an instant bounds the range (exact on one instance; across instances to within one batch
   * delay, 250 ms). Each bound is one lookup on the created_at index, and the page query then stays on the
   * organization's seq indexes instead of sorting a day of rows. null: nothing at or after `from`.
   */
  async function seqRange(f: RequestLogFilter): Promise<{ from?: number; to?: number } | null> {
    const firstAtOrAfter = async (at: string): Promise<number | undefined> => {
      const row = await boundQuery(at);
      return row[0] ? Number(row[0].seq) : undefined;
    };
    const range: { from?: number; to?: number } = {};
    if (f.from) {
      range.from = await firstAtOrAfter(f.from);
      if (range.from === undefined) return null;
    }
    if (f.to) range.to = await firstAtOrAfter(f.to);
    return range;
  }

  /** The first row at or after an instant (one created_at index lookup). */
  function boundQuery(at: string): Knex.QueryBuilder {
    return db('testbed_request_log').where('created_at', '>=', at).orderBy('created_at', 'asc').limit(1).select('seq');
  }

  /**
   * The headers and bodies of rows, in order. A row written in a batch names its bodies document and its
   * index there (one read per distinct document, parsed once); older rows and rows written one by one
   * carry them in their own columns. A document pruned before its rows reads as no bodies.
   */
  async function documentsOf(rows: readonly Record<string, unknown>[]): Promise<RequestDocuments[]> {
    const ids = [...new Set(rows.map((r) => r.body_batch).filter((id): id is string => typeof id === 'string'))];
    const batches = new Map<string, unknown[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const found: { id: string; documents: string }[] = await db('testbed_request_log_bodies')
        .whereIn('id', ids.slice(i, i + 500))
        .select('id', 'documents');
      for (const b of found) {
        const parsed = parseJson(b.documents);
        batches.set(b.id, Array.isArray(parsed) ? parsed : []);
      }
    }
    return rows.map((r) => {
      if (typeof r.body_batch !== 'string') {
        return {
          headers: parseJson(r.request_headers),
          requestBody: parseJson(r.request_body),
          responseBody: parseJson(r.response_body),
        };
      }
      const entry = batches.get(r.body_batch)?.[Number(r.body_index)];
      const [headers = null, requestBody = null, responseBody = null] = Array.isArray(entry) ? entry : [];
      return { headers, requestBody, responseBody };
    });
  }

  /**
   * The evidence's rows all lie after this bound: the last row recorded more than EVIDENCE_SINCE_MARGIN_MS
   * before `since` (0 when there is none). The log is written in the order calls were recorded, to within a
   * batch's delay (250 ms) across instances, so no row recorded at or after `since` sits at or below it; each
   * branch's range on its index then starts near `since` instead of at the organization's oldest call. One
   * lookup on the created_at index, evaluated once per statement (an uncorrelated subquery).
   */
  function sinceBound(since: string): Knex.Raw {
    const before = new Date(Date.parse(since) - EVIDENCE_SINCE_MARGIN_MS).toISOString();
    return db.raw('COALESCE((?), 0)', [
      db('testbed_request_log').where('created_at', '<', before).orderBy('created_at', 'desc').limit(1).select('seq'),
    ]);
  }
  /** sinceBound's one binding, for the fixed texts below. */
  /** EVIDENCE_STAMP_SQL's bindings: the rollup count's, then the highest seq's (sinceBound's instant). */
  const stampBindings = (organizationId: string, since: string) => [
    organizationId,
    kstDay(since),
    organizationId,
    new Date(Date.parse(since) - EVIDENCE_SINCE_MARGIN_MS).toISOString(),
  ];

  /**
   * One branch of a criterion: its rows of one API (when it names APIs) and one rsp_code (when it names codes or
   * asks for successes: a success is either no rsp_code or A0000 without a failed bank leg), read in seq order up
   * to the criterion's limit on the index (organization_id, api, rsp_code, seq); a criterion that names neither
   * codes nor success reads (organization_id, api, seq), one that names bank_tran_ids reads (organization_id,
   * bank_tran_id, seq). The branches of a criterion are disjoint and together hold exactly its rows, so its first
   * `limit` rows are the first `limit` of its branches' rows (evidenceBatch merges them).
   */
  function branchesOf(c: EvidenceCriteria): EvidenceBranch[] {
    if (c.bankTranIds) return [{}];
    const apis: (string | undefined)[] = c.apis ? [...new Set(c.apis)] : [undefined];
    let codes: EvidenceBranch['rsp'][];
    if (c.rspCodes) codes = [...new Set(c.rspCodes)].map((code) => ({ code }));
    else if (c.success === true) codes = [{ code: null }, { code: 'A0000', bankSucceeded: true }];
    else codes = [undefined];
    return apis.flatMap((api) => codes.map((rsp) => ({ api, rsp })));
  }

  /** One branch's rows as a subquery: `crit` names the criterion; body columns are NULL unless asked for. */
  function evidenceQuery(organizationId: string, c: EvidenceCriteria, b: EvidenceBranch, crit: number) {
    const table =
      c.bankTranIds && !isPostgres(db)
        ? // SQLite without statistics would rather walk the API's calls in seq order than probe each id.
          db.raw('?? INDEXED BY ??', ['testbed_request_log', 'testbed_request_log_org_tran_seq'])
        : 'testbed_request_log';
    const q = db.from(table).where('organization_id', organizationId);
    if (c.bankTranIds) {
      q.whereIn('bank_tran_id', [...c.bankTranIds]);
      if (c.apis) q.whereIn('api', [...c.apis]);
      if (c.success === true) q.andWhereRaw(SUCCESS_SQL);
      if (c.rspCodes) q.whereIn('rsp_code', [...c.rspCodes]);
    } else {
      if (b.api !== undefined) q.andWhere('api', b.api);
      if (b.rsp?.code === null) q.whereNull('rsp_code');
      else if (b.rsp) q.andWhere('rsp_code', b.rsp.code);
      if (b.rsp?.bankSucceeded) q.andWhere((w) => w.whereNull('bank_rsp_code').orWhere('bank_rsp_code', '000'));
      // A success asked for beside named codes: the codes pick the branches, the rule filters them.
      if (c.success === true && c.rspCodes) q.andWhereRaw(SUCCESS_SQL);
    }
    q.andWhere('seq', '>', sinceBound(c.since)).andWhere('created_at', '>=', c.since);
    if (c.grantType) q.andWhere('grant_type', c.grantType);
    if (c.method) q.andWhere('method', c.method);
    if (c.pathSuffix) q.andWhere('path', 'like', `%${c.pathSuffix}`);
    if (c.success === false) q.andWhereRaw(`NOT ${SUCCESS_SQL}`);
    if (c.bankRspCodes) q.whereIn('bank_rsp_code', [...c.bankRspCodes]);
    // The same columns in every branch of the union (typed NULLs where the bodies are not asked for, so that
    // PostgreSQL matches the branches' types); `crit` is our own index, never input.
    const documents = c.withBodies
      ? DOCUMENT_COLUMNS
      : DOCUMENT_COLUMNS.map((col) => db.raw(`CAST(NULL AS ${col === 'body_index' ? 'INTEGER' : 'TEXT'}) AS ${col}`));
    // Ordered by the index's columns, the fixed ones first: the same order as by seq alone (they are constant in
    // the branch), but one that tells PostgreSQL's planner this index gives it without a sort (it counts neither
    // an unknown seq bound nor `rsp_code IS NULL` as fixing a column).
    const dir = c.newestFirst ? 'desc' : 'asc';
    const fixed = c.bankTranIds
      ? []
      : ['organization_id', ...(b.api !== undefined ? ['api'] : []), ...(b.rsp ? ['rsp_code'] : [])];
    return q
      .orderBy([...fixed, 'seq'].map((column) => ({ column, order: dir })))
      .limit(c.limit)
      .select(db.raw(`${crit} AS crit`), ...SUMMARY_COLUMNS, ...documents);
  }

  /** Every branch of the criteria that can match something, each with the index of its criterion. */
  function evidenceBranches(organizationId: string, criteria: readonly EvidenceCriteria[]) {
    return criteria.flatMap((c, i) =>
      // A criterion on an empty list (of bank_tran_ids, APIs or codes) matches nothing: it is not sent.
      [c.bankTranIds, c.apis, c.rspCodes, c.bankRspCodes].some((list) => list && list.length === 0)
        ? []
        : branchesOf(c).map((b) => evidenceQuery(organizationId, c, b, i)),
    );
  }

  /**
   * evidenceStamp's count and highest seq as one more branch of the evidence statement (crit -1, the count in
   * created_at's place), so the stamp and the rows come from the same read (SQLite only: see evidenceStamp).
   */
  function stampBranch(organizationId: string, since: string) {
    const blanks = [...SUMMARY_COLUMNS, ...DOCUMENT_COLUMNS]
      .filter((c) => c !== 'seq' && c !== 'created_at')
      .map((c) => db.raw(`NULL AS ${c}`));
    const [org, day, org2, before] = stampBindings(organizationId, since);
    return db.select(
      db.raw('-1 AS crit'),
      db.raw(`COALESCE((${STAMP_HIGHEST_SQL}), 0) AS seq`, [org2!, before!]),
      db.raw(`(${STAMP_COUNT_SQL}) AS created_at`, [org!, day!]),
      ...blanks,
    );
  }

  async function evidenceRows(
    organizationId: string,
    criteria: readonly EvidenceCriteria[],
    stampSince: string | null,
  ): Promise<{ rows: EvidenceRow[][]; stamp: string | null }> {
    const found: Record<string, unknown>[][] = criteria.map(() => []);
    const branches = evidenceBranches(organizationId, criteria);
    if (branches.length === 0) return { rows: criteria.map(() => []), stamp: null };
    await deps.log.flush();
    const stamped = stampSince !== null && !isPostgres(db);
    const rows = await unionAllOfLimited<Record<string, unknown>>(
      db,
      stamped ? [...branches, stampBranch(organizationId, stampSince)] : branches,
    );
    let stamp: string | null = null;
    for (const r of rows) {
      if (Number(r.crit) === -1) stamp = `${Number(r.created_at)}:${Number(r.seq)}`;
      else found[Number(r.crit)]!.push(r);
    }
    // A union keeps no order of its own: each criterion's rows in the order it asked for, its first `limit`
    // of them (each branch brought at most that many).
    const kept = criteria.map((c, i) =>
      found[i]!.sort((a, b) => (c.newestFirst ? Number(b.seq) - Number(a.seq) : Number(a.seq) - Number(b.seq))).slice(
        0,
        c.limit,
      ),
    );
    const withBodies = kept.flatMap((list, i) => (criteria[i]!.withBodies ? list : []));
    const documents = withBodies.length ? await documentsOf(withBodies) : [];
    const bodies = new Map(withBodies.map((r, i) => [r, documents[i]!]));
    return {
      stamp,
      rows: kept.map((list) =>
        list.map((r) => {
          const s: EvidenceRow = toSummary(r);
          const d = bodies.get(r);
          if (d) {
            s.requestBody = d.requestBody;
            s.responseBody = d.responseBody;
          }
          return s;
        }),
      ),
    };
  }

  async function evidenceBatch(
    organizationId: string,
    criteria: readonly EvidenceCriteria[],
  ): Promise<EvidenceRow[][]> {
    return (await evidenceRows(organizationId, criteria, null)).rows;
  }

  const pageSize = (f: RequestLogFilter) => Math.max(1, Math.min(f.limit ?? PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX));

  /** The page query itself: one more row than the page size, to know whether another page follows. */
  function pageQuery(
    organizationId: string,
    f: RequestLogFilter,
    r: { from?: number; to?: number },
  ): Knex.QueryBuilder {
    const q = db('testbed_request_log').where('organization_id', organizationId);
    applyFilter(q, f);
    if (r.from !== undefined) q.andWhere('seq', '>=', r.from);
    if (r.to !== undefined) q.andWhere('seq', '<', r.to);
    // The previous page (`after`) is read oldest first from its cursor, then shown newest first.
    return q
      .orderBy('seq', f.after !== undefined && f.before === undefined ? 'asc' : 'desc')
      .limit(pageSize(f) + 1)
      .select(SUMMARY_COLUMNS);
  }

  return {
    /**
     * One page of an organization's calls, newest first; `next` is the cursor (a seq) of the following,
     * older page, `previous` that of the newer page before it (null: none).
     */
    async page(
      organizationId: string,
      f: RequestLogFilter = {},
    ): Promise<{ requests: RequestSummary[]; next: number | null; previous: number | null }> {
      await deps.log.flush();
      const limit = pageSize(f);
      const range = await seqRange(f);
      if (!range) return { requests: [], next: null, previous: null };
      const rows: Record<string, unknown>[] = await pageQuery(organizationId, f, range);
      const more = rows.length > limit;
      const requests = rows.slice(0, limit).map(toSummary);
      const backwards = f.after !== undefined && f.before === undefined;
      if (backwards) requests.reverse();
      const first = requests[0];
      const last = requests[requests.length - 1];
      const hasNext = backwards ? Boolean(last) : more;
      const hasPrevious = backwards ? more : f.before !== undefined && Boolean(first);
      return {
        requests,
        next: hasNext && last ? last.id : null,
        previous: hasPrevious && first ? first.id : null,
      };
    },

    /** The SQL statements of a page query (time bounds, then the page), for EXPLAIN checks. */
    async pageSql(organizationId: string, f: RequestLogFilter = {}): Promise<Knex.Sql[]> {
      const bounds = [f.from, f.to].filter((x): x is string => Boolean(x)).map((at) => boundQuery(at).toSQL());
      return [...bounds, pageQuery(organizationId, f, (await seqRange(f)) ?? {}).toSQL()];
    },

    /** The headers and bodies of each row: from its batch's document, or from the row's own columns. */
    documentsOf,

    /** One call with its bodies; undefined when it does not exist or belongs to another organization. */
    async get(organizationId: string, id: number): Promise<RequestDetail | undefined> {
      if (!Number.isSafeInteger(id) || id < 1 || id > MAX_REQUEST_SEQ) return undefined;
      await deps.log.flush();
      const r = await db('testbed_request_log').where({ seq: id, organization_id: organizationId }).first();
      if (!r) return undefined;
      const [documents] = await documentsOf([r]);
      return {
        ...toSummary(r),
        organizationId: r.organization_id as string,
        clientUseCode: (r.client_use_code as string | null) ?? null,
        requestHeaders: (documents!.headers as Record<string, string> | null) ?? {},
        requestBody: documents!.requestBody,
        responseBody: documents!.responseBody,
      };
    },

    /**
     * Calls matching each of several criteria (each bounded by its `limit`), for the conformance checklist's
     * evidence: one statement (each criterion a bounded subquery, joined by UNION ALL) and at most one read of
     * the bodies documents, instead of one or two round trips per criterion. The answer holds each criterion's
     * rows, in the order it asked for.
     */
    evidenceBatch,

    /**
     * evidenceBatch, with the evidenceStamp of the rows since `since` read in the same statement (null on
     * PostgreSQL, or when no criterion can match anything and nothing was read).
     */
    evidenceBatchStamped(organizationId: string, criteria: readonly EvidenceCriteria[], since: string) {
      return evidenceRows(organizationId, criteria, since);
    },

    /**
     * A stamp of the rows the evidence since `since` is read from (SQLite; null on PostgreSQL): the organization's
     * calls on Korean days from since's on (the usage rollup's count) and the highest seq of its calls past the
     * evidence's seq bound. Two stamps are equal only if the evidence's rows (the organization's, past the bound,
     * at or after `since`: inside both sets counted) are the same: rows are never updated; a row is inserted with
     * a seq above every seq the table ever held (AUTOINCREMENT, never reused) and, writers being serialised,
     * committed in seq order, so any call added for the organization raises the highest seq; a set that only lost
     * rows (retention, an organization deleted) has a lower count, the rollup losing them in the same
     * transaction. Other changes inside the counted sets only change the stamp too (a needless re-judgement, never
     * a stale one). So a result judged from the rows may be reused while the stamp stays the same
     * (src/workflow/conformance-cache.ts). PostgreSQL hands out seqs before commit and commits concurrent inserts
     * in any order: a row can appear below the highest seq, so there is no stamp.
     */
    async evidenceStamp(organizationId: string, since: string): Promise<string | null> {
      if (isPostgres(db)) return null;
      await deps.log.flush();
      const [row] = rawRows<{ n: number | string; hi: number | string | null }>(
        await db.raw(EVIDENCE_STAMP_SQL, stampBindings(organizationId, since)),
      );
      return `${Number(row?.n ?? 0)}:${Number(row?.hi ?? 0)}`;
    },

    /** The statement evidenceStamp sends, for EXPLAIN checks. */
    stampSql(organizationId: string, since: string): { sql: string; bindings: readonly unknown[] } {
      return { sql: EVIDENCE_STAMP_SQL, bindings: stampBindings(organizationId, since) };
    },

    /** The SQL of each branch evidenceBatch would send for these criteria, for EXPLAIN checks. */
    evidenceSql(organizationId: string, criteria: readonly EvidenceCriteria[]): Knex.Sql[] {
      return evidenceBranches(organizationId, criteria).map((q) => q.toSQL());
    },
  };
}
export type RequestLogQueries = ReturnType<typeof createRequestLogQueries>;
