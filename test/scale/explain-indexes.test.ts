// Rule: every paged list reads the big tables (applications, audit_events, postings, testbed_request_log)
// through an index, never a full scan, however large they grow. The database is grown the way the scale
// bench grows it (bench/scale-data.ts, at a small size), the real pages are requested signed in, every SQL
// statement they send is captured, and each one that reads a big table is EXPLAINed: on PostgreSQL no
// "Seq Scan" of a big table, on SQLite no "SCAN <big table>" without an index.
//
// On PostgreSQL the test data is small enough that the planner may rightly prefer reading a few pages of a
// table to an index; the plans are therefore taken with enable_seqscan off, which asks the question that
// matters at any size: is there an index that answers this query? (a Seq Scan remains only when none can).
import t, { type Test } from 'tap';
import type { Knex } from 'knex';
import type { Browser } from '../helpers/build';
import { grownApp, listReaders } from '../helpers/scale';
import { isPostgres } from '../../src/db/knex';
import { demoHistoryAccount } from '../../bench/scale-data';

// testbed_request_usage: the usage page's rolled-up counts (one key range per organization and period).
const BIG_TABLES = ['applications', 'audit_events', 'postings', 'testbed_request_log', 'testbed_request_usage'];
// Growing the database takes a while on a busy machine.
t.setTimeout(600_000);

interface Statement {
  sql: string;
  bindings: unknown[];
}

/** The names a statement reads the big tables by: the tables and their aliases. */
function bigNames(sql: string): Set<string> {
  const names = new Set<string>();
  for (const table of BIG_TABLES) {
    // knex quotes names with double quotes on PostgreSQL and backticks on SQLite.
    const re = new RegExp(`(?:from|join)\\s+["\`]?${table}["\`]?(?:\\s+as\\s+["\`]?(\\w+)["\`]?)?`, 'gi');
    for (const m of sql.matchAll(re)) {
      names.add(table);
      if (m[1]) names.add(m[1]);
    }
  }
  return names;
}

async function planOf(db: Knex, s: Statement): Promise<string> {
  if (isPostgres(db)) {
    return db.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      const res = await trx.raw(`EXPLAIN ${s.sql.replace(/\$\d+/g, '?')}`, s.bindings as never[]);
      return (res.rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
    });
  }
  const rows = (await db.raw(`EXPLAIN QUERY PLAN ${s.sql}`, s.bindings as never[])) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

/** The full scans of big tables in a plan (empty: every big table is read through an index). */
function fullScans(db: Knex, plan: string, names: Set<string>): string[] {
  if (isPostgres(db)) {
    return [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]!).filter((n) => BIG_TABLES.includes(n));
  }
  return plan
    .split('\n')
    .map((line) => /^SCAN (\w+)(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => Boolean(m) && names.has(m![1]!) && !/USING (COVERING )?INDEX/.test(m![2]!))
    .map((m) => m[1]!);
}

async function checkPlans(t: Test) {
  const { app, grown } = await grownApp(t, Number(process.env.SCALE_TEST_FACTOR ?? 0.01));
  const db = app.db;
  const history = await demoHistoryAccount(app);
  t.ok(grown.applications >= 200 && grown.postings >= 10_000, 'the database has grown');
  const ledger = await app.services.ledger.verifyBalances();
  t.equal(ledger.ok, true, 'the generated ledger balances: every transaction sums to zero, cached balances exact');
  const stages = await db('applications').distinct('stage');
  t.equal(stages.length, 6, 'applications in all six stages');

  const { reviewer, owner, admin } = await listReaders(app);

  const someApplication = (await db('applications').where('stage', 'live').first('id')) as { id: string };
  const captured: Statement[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => {
    if (bigNames(q.sql).size) captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  db.on('query', listen);
  const nextOf = (body: string) =>
    /href="([^"]+)" rel="next"/
      .exec(body)?.[1]
      ?.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/&amp;/g, '&');
  const pages: [string, Browser, string][] = [
    ['staff queue', reviewer, '/staff?size=3'],
    ['staff queue by stage', reviewer, '/staff?stage=testing&size=3'],
    ['staff queue by status', reviewer, '/staff?status=rejected&size=3'],
    ['transaction history', owner, `/sandbox/ledger/accounts/${history.accountId}`],
    ['requests page', owner, '/sandbox/requests'],
    ['notifications', owner, '/notifications'],
    ['outbox', admin, '/admin/outbox'],
    ['usage page', owner, '/sandbox/usage?days=90'],
  ];
  const unpaged = ['notifications', 'outbox', 'usage page'];
  for (const [name, who, url] of pages) {
    const res = await who.get(url);
    t.equal(res.statusCode, 200, `${name}: 200`);
    const next = nextOf(res.body);
    if (!unpaged.includes(name)) t.ok(next, `${name}: a next page`);
    if (next) t.equal((await who.get(next)).statusCode, 200, `${name}: the next page`);
  }
  await app.services.audit.pageForApplication(someApplication.id, { includeInternal: true }, { size: 50 });
  // The security pages' history (one stage's events, newest first) and the latest change request (one row).
  await app.services.audit.pageForApplication(
    someApplication.id,
    { includeInternal: false, newestFirst: true, stage: 'security' },
    { size: 50, after: [1_000_000_000] },
  );
  await app.services.audit.latestOf(someApplication.id, 'application.changes_requested', 'testing');
  t.equal((await reviewer.get(`/staff/applications/${someApplication.id}/audit.csv`)).statusCode, 200, 'audit CSV');
  db.removeListener('query', listen);

  // The check can fail: a query no index answers is reported as a full scan.
  const control = { sql: db('postings').where('print_content', '규모시험').select('seq').toString(), bindings: [] };
  t.same(fullScans(db, await planOf(db, control), bigNames(control.sql)), ['postings'], 'a full scan is detected');

  const seen = new Set<string>();
  t.ok(captured.length >= 8, `statements on big tables were captured (${captured.length})`);
  for (const s of captured) {
    if (seen.has(s.sql)) continue;
    seen.add(s.sql);
    const plan = await planOf(db, s);
    const scans = fullScans(db, plan, bigNames(s.sql));
    t.same(scans, [], `no full scan: ${s.sql.slice(0, 140)}${scans.length ? `\n${plan}` : ''}`);
  }
}

const onPostgres = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '');
t.test(
  'PostgreSQL: every paged list is planned without a Seq Scan of a big table',
  { skip: onPostgres ? false : 'DATABASE_URL is not PostgreSQL; run with DATABASE_URL=postgres://… for this check' },
  checkPlans,
);
t.test(
  'SQLite: every paged list is planned without a SCAN of a big table',
  { skip: onPostgres ? 'DATABASE_URL is PostgreSQL; the SQLite check runs without it' : false },
  checkPlans,
);
