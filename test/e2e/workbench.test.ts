// The reviewer's workbench in a real browser: the staff application page is laid out for the stage being
// decided. For an application in suitability and one in testing (state built through the test helpers and
// services, not by replaying pages), at 1280x900 and 375x812: the decision panel starts within the first
// screen on a desktop (beside the content) and directly after the summary on a phone; no sideways scrolling
// of the page at 375 px (the queue too, and the other staff and admin pages); axe-core finds no violation;
// a screenshot per stage and width (test-output/screenshots/workbench-<stage>-<width>.png) and the page
// heights printed as comments, so a change that makes the page long again shows up in the output.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import type { Test } from 'tap';
import { DEMO_PASSWORD } from '../../src/demo-accounts';
import {
  browserTestsEnabled,
  describeViolations,
  horizontalOverflow,
  launchChromium,
  message,
  newPerson,
  problemsOn,
  runAxe,
  screenshot,
  signIn,
  startApp,
} from '../helpers/browser';
import { recordPassingEvidence } from '../helpers/conformance';
import { submittedApplication } from '../helpers/onboarding';
import { applicationInTesting, STAFF_PASSWORD, staffUser, VALID_REPORT } from '../helpers/workflow';
import { applicationInContract, applicationInSecurity, uploadAllDocuments } from '../helpers/security-stage';

// The fixtures walk four applications through the earlier stages: allow for a busy 2-core machine.
t.setTimeout(600_000);
const ko = (key: string, params?: Record<string, unknown>) => message('ko', key, params);

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

interface Layout {
  bodyHeight: number;
  innerHeight: number;
  /** Top of the decision panel in page coordinates; -1 when the page has none. */
  panelTop: number;
  /** Bottom of the summary header in page coordinates; -1 when the page has none. */
  summaryBottom: number;
  /** The element that comes right before the panel in the document. */
  beforePanel: string;
  /** Top of the first piece of the stage's own material (checklist, conformance, report). */
  materialTop: number;
  panelWidth: number;
  applicationOpen: boolean | null;
}

async function layout(page: Page): Promise<Layout> {
  return page.evaluate(`(() => {
    const top = (el) => el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : -1;
    // Before this change the decisions were a heading #decide far down the page: measured the same way.
    const panel = document.querySelector('.decision-panel') || document.getElementById('decide');
    const summary = document.querySelector('.workbench-summary');
    const prev = panel && panel.previousElementSibling;
    const material = document.querySelector('#checklist, #conformance-title, #testing-report');
    const details = document.querySelector('details.workbench-application');
    return {
      bodyHeight: document.body.scrollHeight,
      innerHeight: window.innerHeight,
      panelTop: top(panel),
      summaryBottom: summary ? Math.round(summary.getBoundingClientRect().bottom + window.scrollY) : -1,
      beforePanel: prev ? prev.tagName.toLowerCase() + (prev.className ? '.' + String(prev.className).split(' ').join('.') : '') : '',
      materialTop: top(material),
      panelWidth: panel ? Math.round(panel.getBoundingClientRect().width) : 0,
      applicationOpen: details ? details.open : null,
    };
  })()`) as Promise<Layout>;
}

/** No axe-core violation of any impact, no script error, no sideways scrolling at this width. */
async function clean(t: Test, page: Page, name: string): Promise<void> {
  const { violations } = await runAxe(page);
  t.equal(violations.length, 0, `${name}: axe-core finds no violations\n${describeViolations(violations)}`);
  t.same(problemsOn(page), [], `${name}: no script or console errors`);
  const o = await horizontalOverflow(page);
  t.ok(
    o.scrollWidth <= o.innerWidth,
    `${name}: no sideways scrolling at ${o.innerWidth} px (page is ${o.scrollWidth} px wide) ${o.widest.join(', ')}`,
  );
}

if (browserTestsEnabled(t))
  t.test("the reviewer's workbench", async (t) => {
    const { app, baseUrl } = await startApp(t);
    const browser = await launchChromium(t);

    // ---- state, through the helpers and the services
    const approver = await staffUser(app, 'reviewer', 'wb-approver@staff.example');
    const viewer = await staffUser(app, 'reviewer', 'wb-reviewer@staff.example');
    const suitability = await submittedApplication(app, 'owner@wb-suitability.example');
    await app.services.workflow.transition(suitability.id, 'claim', viewer.user); // "심사자" shows a name
    const testing = await applicationInTesting(app, approver.browser, 'owner@wb-testing.example');
    await recordPassingEvidence(app, testing.id);
    const report = await testing.browser.post(`/applications/${testing.id}/testing`, VALID_REPORT);
    t.equal(report.statusCode, 303, 'the testing report was submitted (testing:submitted)');
    const stages = [
      { stage: 'suitability', id: suitability.id, material: '#checklist' },
      { stage: 'testing', id: testing.id, material: '#conformance-title' },
    ] as const;

    const { page } = await newPerson(t, browser, baseUrl, { viewport: DESKTOP });
    await signIn(t, page, 'wb-reviewer@staff.example', 'workbench-login', STAFF_PASSWORD);
    await page.waitForURL('**/staff');

    for (const s of stages) {
      await t.test(`${s.stage}: the decision panel is in reach at 1280 and 375 px`, async (t) => {
        for (const viewport of [DESKTOP, PHONE]) {
          await page.setViewportSize(viewport);
          await page.goto(`/staff/applications/${s.id}`);
          const name = `workbench-${s.stage}-${viewport.width}`;
          const l = await layout(page);
          t.comment(
            `page height ${s.stage} @ ${viewport.width} px: ${l.bodyHeight} px (decision panel at ${l.panelTop} px, stage material at ${l.materialTop} px)`,
          );
          t.equal(
            await page.locator('h1').first().innerText(),
            ko('workflow.review.heading', { reference: await reference(app, s.id) }),
            `${name}: the heading`,
          );
          t.equal(
            await page.locator('.decision-panel form.decision').count(),
            3,
            `${name}: approve, request changes and reject are in the panel`,
          );
          t.ok(
            l.panelTop >= 0 && l.panelTop < l.innerHeight,
            `${name}: the decision panel starts within the first screen (${l.panelTop} < ${l.innerHeight})`,
          );
          if (viewport === DESKTOP) {
            t.ok(
              l.panelWidth > 0 && l.panelWidth < viewport.width / 2,
              `${name}: the panel sits beside the content (${l.panelWidth} px wide)`,
            );
            t.equal(
              await page.evaluate(
                `(() => { const p = document.querySelector('.decision-panel'); return p ? getComputedStyle(p).position : 'none'; })()`,
              ),
              'sticky',
              `${name}: and stays in reach when the content scrolls`,
            );
          } else {
            t.equal(l.beforePanel, 'div.workbench-summary', `${name}: the panel comes right after the summary`);
            t.ok(
              l.panelTop >= l.summaryBottom && l.panelTop - l.summaryBottom <= 48,
              `${name}: directly below it (${l.summaryBottom} → ${l.panelTop})`,
            );
          }
          t.ok(l.materialTop >= 0, `${name}: the stage's own material is on the page (${s.material})`);
          t.equal(l.applicationOpen, false, `${name}: the full application starts collapsed`);
          await clean(t, page, name);
          await screenshot(page, name);
        }
      });
    }

    await t.test('?show=application opens the full application', async (t) => {
      await page.setViewportSize(DESKTOP);
      await page.goto(`/staff/applications/${suitability.id}?show=application`);
      t.equal((await layout(page)).applicationOpen, true, 'open');
      t.match(await page.locator('main').innerText(), '주식회사 테스트핀테크', 'the answers are readable');
    });

    await t.test('the queue has no sideways scrolling at 375 px and is axe-clean', async (t) => {
      for (const viewport of [PHONE, DESKTOP]) {
        await page.setViewportSize(viewport);
        await page.goto('/staff');
        t.comment(`page height queue @ ${viewport.width} px: ${(await layout(page)).bodyHeight} px`);
        await clean(t, page, `workbench-queue-${viewport.width}`);
        await screenshot(page, `workbench-queue-${viewport.width}`);
      }
    });

    await t.test('the security, contract and admin pages fit a 375 px phone', async (t) => {
      // A long finding title and a long reason: text that must wrap, not widen the page.
      const security = await applicationInSecurity(app, { email: 'owner@wb-security.example' });
      await uploadAllDocuments(security.browser, security.id);
      t.equal(
        (
          await security.browser.post(
            `/applications/${security.id}/security/submit`,
            {},
            { formUrl: `/applications/${security.id}/security` },
          )
        ).statusCode,
        303,
        'inspection requested',
      );
      const inspector = await staffUser(app, 'inspector', 'wb-inspector@staff.example');
      const staffPage = `/staff/applications/${security.id}/security`;
      const finding = await inspector.browser.post(
        `${staffPage}/findings`,
        {
          severity: 'high',
          title:
            'https://pay.test-fintech.example/oauth/callback?redirect=https%3A%2F%2Fevil.example%2Fsteal_the_authorization_code_now',
          description:
            '콜백URL이검증없이외부도메인으로리다이렉트됩니다https://pay.test-fintech.example/oauth/callback?redirect=https%3A%2F%2Fevil.example',
        },
        { formUrl: staffPage },
      );
      t.equal(finding.statusCode, 303, 'a finding with a long URL was recorded');
      await page.setViewportSize(PHONE);
      t.equal(
        (await page.goto(`/staff/applications/${security.id}`))?.status(),
        200,
        'a reviewer may open the review page at the security stage (without the inspection summary they may not read)',
      );
      t.equal(
        await page.locator('.decision-panel a[href$="/security"]').count(),
        1,
        'its decision panel links to the security page',
      );
      const contract = await applicationInContract(app, { email: 'owner@wb-contract.example' });
      const sign = await contract.browser.post(
        `/applications/${contract.id}/contract/sign`,
        { full_name: '김테스트', accept: 'yes' },
        { formUrl: `/applications/${contract.id}/contract` },
      );
      t.equal(sign.statusCode, 303, 'the owner signed the contract');

      // [screenshot name, url]: the review page at the security and contract stages, their own pages, the admin pages.
      const pages: { who: string; password: string; urls: [string, string][] }[] = [
        {
          who: 'wb-inspector@staff.example',
          password: STAFF_PASSWORD,
          urls: [
            ['workbench-security-375', `/staff/applications/${security.id}`],
            ['workbench-security-page-375', staffPage],
          ],
        },
        {
          who: 'contract@portal.example',
          password: DEMO_PASSWORD,
          urls: [
            ['workbench-contract-375', `/staff/applications/${contract.id}`],
            ['workbench-contract-page-375', `/staff/applications/${contract.id}/contract`],
          ],
        },
        {
          who: 'admin@portal.example',
          password: DEMO_PASSWORD,
          urls: [
            ['workbench-admin-queue-375', '/staff'],
            ['workbench-admin-375', '/admin'],
            ['workbench-admin-staff-375', '/admin/staff'],
            ['workbench-admin-lockouts-375', '/admin/sign-in-lockouts'],
            ['workbench-admin-outbox-375', '/admin/outbox'],
            ['workbench-admin-sandbox-375', '/admin/sandbox'],
            ['workbench-staff-usage-375', '/staff/usage'],
            ['workbench-staff-requests-375', `/staff/applications/${testing.id}/requests`],
          ],
        },
      ];
      for (const p of pages) {
        const { page } = await newPerson(t, browser, baseUrl, { viewport: PHONE });
        await signIn(t, page, p.who, `workbench-login-${p.who.split('@')[0]}`, p.password);
        for (const [name, url] of p.urls) {
          await page.goto(url);
          t.comment(
            `page height ${name.replace(/^workbench-/, '')} (${url.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, ':id')}): ${(await layout(page)).bodyHeight} px`,
          );
          await clean(t, page, name);
          await screenshot(page, name);
        }
      }
    });
  });

async function reference(app: FastifyInstance, id: string): Promise<string> {
  return (await app.db('applications').where({ id }).first('reference')).reference as string;
}
