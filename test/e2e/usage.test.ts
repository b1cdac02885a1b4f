// The usage pages in a real browser at 1280 px: the demo owner's /sandbox/usage after some real test-bed
// calls, a bad period (error summary linking to the field), and the staff page for all organizations and
// for one; every page passes see() (heading, no message keys, zero serious axe-core violations, no script
// or CSP error, no sideways scrolling) and its charts are named images.
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { DEMO_SANDBOX } from '../../src/testbed/users/demo-fixtures';
import {
  browserTestsEnabled,
  DESKTOP,
  launchChromium,
  message,
  newPerson,
  see,
  seeErrorSummary,
  signIn,
  startApp,
} from '../helpers/browser';
import { HONG, oobToken, userToken } from '../helpers/testbed';

t.setTimeout(240_000);

const ko = (key: string, params?: Record<string, unknown>) => message('ko', key, params);

async function chartsAreNamedImages(t: Test, page: Page, expected: number, name: string): Promise<void> {
  const charts = page.getByRole('img');
  const names = await charts.evaluateAll((els) =>
    els
      .map((el) => (el.tagName.toLowerCase() === 'svg' ? (el.querySelector('title')?.textContent ?? '') : null))
      .filter((x) => x !== null),
  );
  t.equal(names.length, expected, `${name}: ${expected} charts`);
  t.ok(
    names.every((n) => typeof n === 'string' && n.length > 0),
    `${name}: every chart has a title`,
  );
}

if (browserTestsEnabled(t))
  t.test('usage pages at 1280 px', async (t) => {
    const { app, baseUrl } = await startApp(t);
    const browser = await launchChromium(t);

    // Real calls through the emulator: tokens, balance inquiries, one refused call.
    const oob = await oobToken(app);
    const hong = await userToken(app, { userSeqNo: HONG.userSeqNo });
    for (let i = 0; i < 3; i++)
      await app.inject({ method: 'GET', url: '/v2.0/bank/status', headers: { authorization: `Bearer ${oob}` } });
    await app.inject({
      method: 'GET',
      url: '/v2.0/user/me?user_seq_no=1100000001',
      headers: { authorization: `Bearer ${hong}` },
    });
    await app.inject({ method: 'GET', url: '/v2.0/bank/status', headers: { authorization: 'Bearer not-a-token' } });
    await app.services.testbedRequestLog.flush();
    const logged = await app
      .db('testbed_request_log')
      .where({ organization_id: DEMO_SANDBOX.organizationId })
      .count({ n: '*' });
    t.ok(Number(logged[0]!.n) >= 5, 'calls were recorded for the demo organization');

    await t.test('the demo owner reads the usage page, and a bad period is named', async (t) => {
      const { page } = await newPerson(t, browser, baseUrl, { viewport: DESKTOP });
      await signIn(t, page, 'owner@demo-fintech.example', 'usage-00-login');
      await page.goto('/sandbox');
      await page.getByRole('link', { name: ko('usage.links.sandbox') }).click();
      await page.waitForURL('**/sandbox/usage');
      await see(t, page, 'usage-01-sandbox', ko('usage.sandbox.title'));
      await chartsAreNamedImages(t, page, 3, 'sandbox usage');
      t.ok(
        await page.getByRole('link', { name: ko('usage.csv_named', { table: ko('usage.tables.daily') }) }).isVisible(),
        'a CSV link under the daily table',
      );

      await page.selectOption('#days', '7');
      await page.getByRole('button', { name: ko('usage.filters.apply') }).click();
      await page.waitForURL(/days=7/);
      await see(t, page, 'usage-02-sandbox-7-days', ko('usage.sandbox.title'));

      await page.goto('/sandbox/usage?days=8');
      await seeErrorSummary(t, page, 'usage-03-bad-days', ['days']);
      await see(t, page, 'usage-03-bad-days', ko('usage.sandbox.title'));
    });

    await t.test('a reviewer reads the staff usage page for all organizations and for one', async (t) => {
      const { page } = await newPerson(t, browser, baseUrl, { viewport: DESKTOP });
      await signIn(t, page, 'reviewer@portal.example', 'usage-10-login');
      await page.goto('/staff');
      await page.getByRole('link', { name: ko('usage.links.staff') }).click();
      await page.waitForURL('**/staff/usage');
      await see(t, page, 'usage-11-staff-all', ko('usage.staff.title_all'));
      await chartsAreNamedImages(t, page, 3, 'staff usage');
      t.ok(await page.getByRole('heading', { name: ko('usage.pipeline.title') }).isVisible(), 'the pipeline is shown');

      await page.selectOption('#organization', DEMO_SANDBOX.organizationId);
      await page.getByRole('button', { name: ko('usage.filters.apply') }).click();
      await page.waitForURL(/organization=/);
      await see(t, page, 'usage-12-staff-one', ko('usage.staff.title_one', { name: '데모핀테크' }));
    });
  });
