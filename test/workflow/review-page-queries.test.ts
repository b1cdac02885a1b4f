// Rule: the staff review screen (GET /staff/applications/:id) reads the database a fixed number of times, whatever
// the number of submitted versions, documents and test-bed calls: the application, its answers and its versions
// are read once and handed down (the conformance checklist reuses them), the suitability checklist and its history
// are one statement, and the checklist's request-log reads go out together (one statement per round,
// src/workflow/conformance.ts). While the organization's calls did not change since the last view, the
// conformance checklist costs one request-log read (its stamp, src/workflow/conformance-cache.ts; SQLite).
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, Browser } from '../helpers/build';
import { ALL_DECLARATIONS } from '../helpers/onboarding';
import { applicationAt } from '../helpers/stage-shortcut';
import { passChecklist, staffUser } from '../helpers/workflow';
import { recordPassingEvidence } from '../helpers/conformance';
import { sqlDuring } from '../helpers/sql-during';
import { DEMO_APPLICATION_IDS } from '../../seeds/02_applications';
import { isPostgres } from '../../src/db/knex';

/** Signed-in page, before its handler: the session, then the user with the unread count (test/http/page-reads). */
const BEFORE_HANDLER = 2;
/**
 * The review screen's own reads at most (27 in all before issue 16): the row, answers, versions, audit trail,
 * separation of duties, checklist with its history, reports, and the conformance checklist on the first view after
 * the organization's calls changed (the stamp of the last view's, its first request-log round, the bodies
 * documents it needs, the round that depends on it).
 */
const MOST = BEFORE_HANDLER + 10;
/**
 * The same screen when nothing changed since the last view (SQLite): the conformance checklist is one stamp read
 * (the suitability screen, with no checklist of calls, reads as many).
 */
const STEADY = BEFORE_HANDLER + 7;

/**
 * The page's queries on a second view (the first may write the session: a flash shown, the expiry slid);
 * `between` runs between the two (e.g. a call recorded, so that the second view judges the checklist again).
 */
async function pageQueries(app: FastifyInstance, browser: Browser, id: string, between?: () => Promise<unknown>) {
  await browser.get(`/staff/applications/${id}`);
  await between?.();
  let status = 0;
  const sql = await sqlDuring(app, async () => {
    status = (await browser.get(`/staff/applications/${id}`)).statusCode;
  });
  return { status, sql };
}
const reads = (sql: string[], table: string) => sql.filter((s) => new RegExp(`from [\`"]${table}[\`"]`).test(s)).length;

t.test(
  'the staff application page runs at most 12 queries, the same number with one version or three, and with one round of test-bed calls or three',
  async (t) => {
    const app = await build(t);
    const kim = await staffUser(app, 'reviewer', 'kim@staff.example');
    const { id, browser: owner } = await applicationAt(app, 'suitability');
    const url = `/staff/applications/${id}`;

    const one = await pageQueries(app, kim.browser, id);
    t.equal(one.status, 200);
    t.ok(one.sql.length <= STEADY, `one version: ${one.sql.length} queries`);
    for (const table of ['applications', 'application_answers', 'application_versions'])
      t.equal(reads(one.sql, table), 1, `${table} read once`);

    // Two more versions: changes requested, resubmitted, twice.
    for (const round of [1, 2]) {
      const asked = await kim.browser.post(
        `${url}/decision`,
        { event: 'request_changes', reason: `회사 주소를 도로명으로 적어 주세요 (${round})`, sections: ['company'] },
        { formUrl: url },
      );
      t.equal(asked.statusCode, 303, `changes requested (${round})`);
      const resubmit = await owner.post(`/applications/${id}/submit`, ALL_DECLARATIONS, {
        formUrl: `/applications/${id}/check`,
      });
      t.equal(resubmit.statusCode, 303, `resubmitted (${round})`);
    }
    t.equal(
      Number((await app.db('application_versions').where({ application_id: id }).count({ n: '*' }))[0]!.n),
      3,
      'three versions',
    );
    const three = await pageQueries(app, kim.browser, id);
    t.equal(three.status, 200);
    t.match(
      (await kim.browser.get(url)).body,
      '2차 제출본과 달라진 부분',
      'the page diffs the third version against the second',
    );
    t.equal(three.sql.length, one.sql.length, 'three versions: as many queries as one');

    // Testing: the conformance checklist is evaluated on the page, from the request log.
    t.equal((await passChecklist(kim.browser, id)).statusCode, 303);
    const approved = await kim.browser.post(
      `${url}/decision`,
      { event: 'approve', reason: '적합성 요건을 모두 충족합니다.' },
      { formUrl: url },
    );
    t.equal(approved.statusCode, 303, 'approved: now in testing');
    const noCalls = await pageQueries(app, kim.browser, id);
    t.equal(noCalls.status, 200);
    t.ok(noCalls.sql.length <= MOST, `testing, no calls: ${noCalls.sql.length} queries`);
    t.equal(reads(noCalls.sql, 'testbed_request_log'), 1, 'every scenario judged from one request-log statement');
    for (const table of ['applications', 'application_answers', 'application_versions'])
      t.equal(reads(noCalls.sql, table), 1, `${table} read once, also for the checklist`);

    // The first view after the calls: judged again (the last view's stamp, then the evidence).
    let scenarios: string[] = [];
    const passing = await pageQueries(app, kim.browser, id, async () => {
      scenarios = await recordPassingEvidence(app, id);
    });
    t.equal(passing.status, 200);
    t.ok(passing.sql.length <= MOST, `testing, ${scenarios.length} scenarios passed: ${passing.sql.length} queries`);
    t.ok(reads(passing.sql, 'testbed_request_log') <= (isPostgres(app.db) ? 2 : 3), 'two request-log rounds at most');
    t.match(
      (await kim.browser.get(url)).body,
      `${scenarios.length}개 중 ${scenarios.length}개 통과`,
      'the page shows every scenario passed',
    );
    const done = await app.services.workflow.conformance(id);
    t.ok(done?.complete, 'the evidence recorded passes every scenario (the page judged real rows)');

    // Nothing changed since: the page reads the request log once (SQLite: the stamp).
    const steady = await pageQueries(app, kim.browser, id);
    t.equal(steady.status, 200);
    if (!isPostgres(app.db)) {
      t.ok(steady.sql.length <= STEADY, `nothing changed: ${steady.sql.length} queries`);
      t.equal(reads(steady.sql, 'testbed_request_log'), 1, 'nothing changed: one request-log read');
    }

    const more = await pageQueries(app, kim.browser, id, async () => {
      await recordPassingEvidence(app, id);
      await recordPassingEvidence(app, id);
    });
    t.equal(more.status, 200);
    t.equal(more.sql.length, passing.sql.length, 'three times the calls: as many queries');
  },
);

t.test(
  'the demo application in testing, with its recorded calls, is shown again in at most 9 queries (12 on PostgreSQL)',
  async (t) => {
    const app = await build(t, { demo: true });
    const reviewer = new Browser(app);
    await reviewer.login('reviewer@portal.example');
    const id = DEMO_APPLICATION_IDS.demoFintech;
    const { status, sql } = await pageQueries(app, reviewer, id);
    t.equal(status, 200);
    t.ok(sql.length <= (isPostgres(app.db) ? MOST : STEADY), `${sql.length} queries`);
    for (const table of ['applications', 'application_answers', 'application_versions'])
      t.equal(reads(sql, table), 1, `${table} read once`);
  },
);
