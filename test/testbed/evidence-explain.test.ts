// Rule: the testing stage's evidence (the conformance checklist's request-log reads) stays on an index however
// large the log grows: with generated calls and the evidence of a passing testing stage in the log, every
// branch evidenceBatch sends is answered from an index range read in seq order — no full scan of the log and
// no sort of it (the one exception: the earlier calls of refused duplicate withdrawals, looked up by their
// bank_tran_ids, sorts just the rows those ids find). The same on SQLite and PostgreSQL; the verdicts are the
// same as on a log without the generated calls.
import t from 'tap';
import { build } from '../helpers/build';
import { recordPassingEvidence } from '../helpers/conformance';
import { DEMO_APPLICATION_IDS } from '../../seeds/02_applications';
import { isPostgres } from '../../src/db/knex';
import { generateRequestLogRows } from '../../src/testbed/common/request-log-generator';
import type { EvidenceCriteria } from '../../src/testbed/common/request-log-queries';
import { evaluateConformance } from '../../src/workflow/conformance';

const DEMO_ORG = '6d1f0c52-3b8e-4f7a-9c21-5e8d7a4b2f10';

t.test('every evidence read uses an index range in seq order on a large log, without a sort', async (t) => {
  const app = await build(t, { demo: true });
  const applicationId = DEMO_APPLICATION_IDS.demoFintech;
  const keys = await recordPassingEvidence(app, applicationId);
  t.ok(keys.length >= 10, `the demo application needs ${keys.length} scenarios`);
  const before = await app.services.workflow.conformance(applicationId);
  t.equal(before?.complete, true, 'the recorded evidence passes every scenario');

  const orgs: string[] = (await app.db('organizations').select('id')).map((r: { id: string }) => r.id);
  // Older calls first (the generator writes up to `until`), then the evidence again, newer.
  await generateRequestLogRows(app.db, {
    organizations: orgs,
    count: 60_000,
    until: new Date(Date.now() - 60_000),
  });
  await recordPassingEvidence(app, applicationId);
  const pg = isPostgres(app.db);
  await app.db.raw(pg ? 'ANALYZE testbed_request_log' : 'ANALYZE');

  const q = app.services.testbedRequests;
  const asked: EvidenceCriteria[] = [];
  const reader = {
    evidenceBatch: (org: string, criteria: readonly EvidenceCriteria[]) => {
      asked.push(...criteria);
      return q.evidenceBatch(org, criteria);
    },
  };
  const since = before!.since;
  const after = await evaluateConformance(reader, { organizationId: DEMO_ORG, since, requestedApis: keysToApis(keys) });
  t.equal(after.complete, true, 'every scenario still passes on the large log');
  t.ok(
    asked.some((c) => c.bankTranIds?.length),
    'the duplicate withdrawal was looked up by bank_tran_id (the second round ran)',
  );

  const statements = q.evidenceSql(DEMO_ORG, asked);
  t.ok(statements.length > asked.length, `criteria are read as branches (${statements.length} for ${asked.length})`);
  for (const s of statements) {
    const name = /bank_tran_id["`]? in/i.test(s.sql) ? 'by bank_tran_id' : describe(s.bindings);
    const plan = await planOf(s);
    t.same(
      problems(pg, s, plan),
      [],
      `${name}: one index range in seq order${process.env.SHOW_PLANS ? `\n${plan}` : ''}`,
    );
  }

  // The stamp that decides whether a kept verdict still holds (SQLite only: conformance-cache.ts) finds the
  // organization's newest call by one seek on (organization_id, seq), not by walking every later call of the log.
  if (!pg) {
    const stamp = await planOf(q.stampSql(DEMO_ORG, since));
    t.match(
      stamp,
      /SEARCH testbed_request_log USING (COVERING )?INDEX \w+ \(organization_id=\? AND seq>\?\)/,
      `the stamp's newest call is one index seek${process.env.SHOW_PLANS ? `\n${stamp}` : ''}`,
    );
    t.notMatch(stamp, /INTEGER PRIMARY KEY \(rowid>\?\)|TEMP B-TREE/, 'no walk of the log and no sort');
  }

  // The check can fail: the criterion "a pending transfer" read as one query over three APIs (as it was) walks
  // the organization's calls in seq order, its API and code checked row by row.
  const old = app
    .db('testbed_request_log')
    .where('organization_id', DEMO_ORG)
    .whereIn('api', ['withdraw', 'deposit_fin_num', 'deposit_acnt_num'])
    .andWhere('rsp_code', 'A0001')
    .orderBy('seq', 'desc')
    .limit(500)
    .select('seq')
    .toSQL();
  t.not(problems(pg, old, await planOf(old)).length, 0, "a read that walks the organization's calls is reported");

  async function planOf(s: { sql: string; bindings: readonly unknown[] }): Promise<string> {
    if (pg) {
      return app.db.transaction(async (trx) => {
        // The test log is small enough that the planner may rightly prefer reading the table; the question
        // that matters at any size is whether an index answers the query.
        await trx.raw('SET LOCAL enable_seqscan = off');
        const res = await trx.raw(`EXPLAIN ${s.sql.replace(/\$\d+/g, '?')}`, s.bindings as never[]);
        return (res.rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
      });
    }
    const rows = (await app.db.raw(`EXPLAIN QUERY PLAN ${s.sql}`, s.bindings as never[])) as { detail: string }[];
    return rows.map((r) => r.detail).join('\n');
  }
});

/**
 * What is wrong with a branch's plan (empty: nothing): the log must be read through an index whose range fixes
 * every column the branch fixes (the API, the rsp_code) and starts at the seq bound, in seq order (no sort) —
 * except the lookup by bank_tran_ids, which probes that index per id and sorts what it finds.
 */
function problems(pg: boolean, s: { sql: string; bindings: readonly unknown[] }, plan: string): string[] {
  const sql = s.sql;
  const limitOne = s.bindings[s.bindings.length - 1] === 1;
  const out: string[] = [];
  const byTranId = /bank_tran_id["`]? in/i.test(sql);
  const fixed = byTranId
    ? ['bank_tran_id']
    : ['api', 'rsp_code'].filter((c) => new RegExp(`["\`]${c}["\`] (= \\?|= \\$\\d+|is null)`, 'i').test(sql));
  if (pg) {
    if (/Seq Scan on testbed_request_log|Bitmap Heap Scan on testbed_request_log/.test(plan)) out.push('a full scan');
    // The Index Cond of the scan of the log itself (not of the seq bound's subquery, read as testbed_request_log_1).
    const lines = plan.split('\n');
    const scan = lines.findIndex((l) => /Index (Only )?Scan.* on testbed_request_log\s+\(/.test(l));
    const cond = scan === -1 ? '' : (/Index Cond: (.*)/.exec(lines[scan + 1] ?? '')?.[1] ?? '');
    if (scan === -1) out.push('no index');
    // PostgreSQL may read a common success (LIMIT 1) on the primary key from the seq bound instead, expecting a
    // match within a few rows: a cost choice its statistics make, still one index range from the bound.
    const fromBound = /Index Scan( Backward)? using testbed_request_log_pkey/.test(lines[scan] ?? '') && limitOne;
    for (const c of fromBound ? [] : fixed)
      if (!new RegExp(`\\(?${c}\\)?(::\\w+)? (=|IS NULL)`).test(cond)) out.push(`${c} not in the index range`);
    if (!byTranId && !/seq > /.test(cond)) out.push('no seq bound in the index range');
    if (!byTranId && /Sort/.test(plan)) out.push('a sort');
  } else {
    const search = /^SEARCH testbed_request_log USING (?:COVERING )?INDEX \w+ \((.*)\)$/m.exec(plan)?.[1];
    if (/^SCAN testbed_request_log/m.test(plan)) out.push('a full scan');
    if (search === undefined) out.push('no index');
    for (const c of fixed) if (!search?.includes(`${c}=?`)) out.push(`${c} not in the index range`);
    if (!byTranId && !search?.includes('seq>?')) out.push('no seq bound in the index range');
    if (!byTranId && /TEMP B-TREE/.test(plan)) out.push('a sort');
  }
  return out;
}

/** The requested API keys the scenario keys stand for (`withdraw.success` → withdraw). */
function keysToApis(keys: readonly string[]): string[] {
  return [...new Set(keys.filter((k) => k.endsWith('.success')).map((k) => k.slice(0, -'.success'.length)))];
}

/** A branch named by its bound values that are not the organization or an instant. */
function describe(bindings: readonly unknown[]): string {
  return bindings.filter((b) => typeof b === 'string' && !/^\d{4}-\d\d-\d\dT/.test(b) && b !== DEMO_ORG).join(' ');
}
