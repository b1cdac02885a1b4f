// The requests page stays on an index however large the log grows: with generated rows, every page
// query (each filter, with and without a cursor) is answered from an index, never a full scan of the
// log nor a sort of it; the same on SQLite and PostgreSQL. (Timings at a million rows: bench/request-log-page.ts.)
import t from 'tap';
import { build } from '../helpers/build';
import { isPostgres } from '../../src/db/knex';
import { generateRequestLogRows } from '../../src/testbed/common/request-log-generator';
import type { RequestLogFilter } from '../../src/testbed/common/request-log-queries';

const DEMO_ORG = '6d1f0c52-3b8e-4f7a-9c21-5e8d7a4b2f10';

t.test('every requests-page query uses an index on a large log', async (t) => {
  const app = await build(t, { demo: true });
  const orgs: string[] = (await app.db('organizations').select('id')).map((r: { id: string }) => r.id);
  t.ok(orgs.includes(DEMO_ORG));
  const rows = 60_000;
  await generateRequestLogRows(app.db, { organizations: orgs, count: rows, until: new Date() });
  const pg = isPostgres(app.db);
  await app.db.raw(pg ? 'ANALYZE testbed_request_log' : 'ANALYZE');
  t.equal(Number((await app.db('testbed_request_log').count({ n: '*' }))[0]!.n), rows);

  const q = app.services.testbedRequests;
  const top = (await q.page(DEMO_ORG, { limit: 1 })).requests[0]!.id;
  const filters: [string, RequestLogFilter][] = [
    ['no filter', {}],
    ['a cursor', { before: top - 5000 }],
    ['an API', { api: 'withdraw' }],
    ['a rare API', { api: 'real_name', before: top - 1000 }],
    ['one code', { result: 'A0326' }],
    ['a test user', { userSeqNo: '1100000003' }],
    ['errors', { result: 'error' }],
    ['successes', { result: 'success' }],
    [
      'a time range',
      { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() - 1800_000).toISOString() },
    ],
    [
      'an older day',
      {
        from: new Date(Date.now() - 12 * 3600_000).toISOString(),
        to: new Date(Date.now() - 8 * 3600_000).toISOString(),
        api: 'withdraw',
      },
    ],
  ];
  for (const [name, f] of filters) {
    for (const sql of await q.pageSql(DEMO_ORG, f)) {
      if (pg) {
        const plan = (await app.db.raw(`EXPLAIN ${sql.sql}`, sql.bindings as never[])).rows
          .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
          .join('\n');
        t.match(plan, /Index/, `${name}: an index (${plan.split('\n')[0]})`);
        t.notMatch(plan, /Seq Scan on testbed_request_log/, `${name}: no full scan`);
        t.notMatch(plan, /Sort/, `${name}: no sort`);
      } else {
        const plan = (
          (await app.db.raw(`EXPLAIN QUERY PLAN ${sql.sql}`, sql.bindings as never[])) as { detail: string }[]
        )
          .map((r) => r.detail)
          .join('\n');
        t.match(
          plan,
          /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/,
          `${name}: an index (${plan.replace(/\n/g, ' | ')})`,
        );
        t.notMatch(plan, /^SCAN testbed_request_log(?! USING)/m, `${name}: no full scan`);
        t.notMatch(plan, /TEMP B-TREE/, `${name}: no sort`);
      }
    }
    const page = await q.page(DEMO_ORG, f);
    t.ok(page.requests.length <= 50, `${name}: at most 50 rows`);
    if (f.from || f.to) {
      t.ok(page.requests.length > 0, `${name}: rows found`);
      t.ok(
        page.requests.every((r) => (!f.from || r.at >= f.from) && (!f.to || r.at < f.to)),
        `${name}: every row inside the range`,
      );
      if (f.api)
        t.ok(
          page.requests.every((r) => r.api === f.api),
          `${name}: and of the API`,
        );
    }
  }
});
