// The request log and the conformance checklist in a real browser, at 375 px and 1280 px: after real
// test-bed calls the demo owner finds them on /sandbox/requests, filters them, opens one (request and
// response side by side, the codes explained), sees a bad filter's error summary, and reads the testing
// stage's checklist with links to the evidence; the reviewer sees the same checklist on the staff page and
// opens the organization's log from there. Every page passes see() (axe-core clean, no sideways scrolling).
import t from 'tap';
import { DEMO_SANDBOX } from '../../src/testbed/users/demo-fixtures';
import {
  browserTestsEnabled,
  DESKTOP,
  launchChromium,
  message,
  newPerson,
  PHONE,
  see,
  seeErrorSummary,
  seeOnPhoneAndDesktop,
  signIn,
  startApp,
} from '../helpers/browser';
import { HONG, bankTranId, withdrawBody } from '../helpers/testbed-services';
import { oobToken, userToken } from '../helpers/testbed';

t.setTimeout(240_000);
const ko = (key: string, params?: Record<string, unknown>) => message('ko', key, params);

if (browserTestsEnabled(t))
  t.test('the request log and the conformance checklist in a browser', async (t) => {
    const { app, baseUrl } = await startApp(t);
    const browser = await launchChromium(t);

    // Real calls: an oob token (auth.client_credentials), a withdrawal and its duplicate (A0326), 4530 (453).
    const oob = await oobToken(app);
    const hong = await userToken(app, { userSeqNo: HONG.userSeqNo });
    const fin = (
      await app
        .db('testbed_fintech_accounts as f')
        .join('bank_accounts as a', 'a.id', 'f.bank_account_id')
        .where({ 'a.account_num': HONG.accounts[0]!.accountNum, 'f.organization_id': DEMO_SANDBOX.organizationId })
        .first('f.fintech_use_num')
    ).fintech_use_num as string;
    const post = (url: string, body: unknown, token: string) =>
      app.inject({ method: 'POST', url, payload: body as object, headers: { authorization: `Bearer ${token}` } });
    const w = withdrawBody(fin);
    await post('/v2.0/transfer/withdraw/fin_num', w, hong);
    await post('/v2.0/transfer/withdraw/fin_num', w, hong);
    await post(
      '/v2.0/transfer/withdraw/fin_num',
      withdrawBody(fin, { tran_amt: '4530', bank_tran_id: bankTranId() }),
      hong,
    );
    void oob;

    const { page } = await newPerson(t, browser, baseUrl, { viewport: DESKTOP });
    await signIn(t, page, 'owner@demo-fintech.example', 'rq-01-login');
    await page.goto('/sandbox');
    await page
      .getByRole('link', { name: ko('requests.list.title') })
      .first()
      .click();
    await page.waitForURL('**/sandbox/requests');
    await seeOnPhoneAndDesktop(t, page, 'rq-02-requests', ko('requests.list.title'));
    t.ok((await page.locator('table.requests-table tbody tr').count()) >= 5, 'the calls are listed');

    // Filter: the refused duplicate.
    await page.getByLabel(ko('requests.list.api')).selectOption('withdraw');
    await page.getByLabel(ko('requests.list.result')).fill('A0326');
    await page.getByRole('button', { name: ko('requests.list.apply') }).click();
    await page.waitForURL(/result=A0326/);
    t.equal(await page.locator('table.requests-table tbody tr').count(), 1, 'one duplicate refused');
    await page.locator('table.requests-table tbody tr a').first().click();
    await page.waitForURL(/\/sandbox\/requests\/\d+$/);
    await seeOnPhoneAndDesktop(t, page, 'rq-03-request', /요청 #\d+/);
    t.match(await page.locator('main').innerText(), /A0326 — 거래고유번호 중복/, 'the code explained in Korean');
    t.match(await page.locator('main').innerText(), new RegExp(String(w.bank_tran_id)), 'the request body');

    // A bad filter: an error summary naming the fields.
    await page.goto('/sandbox/requests?user_seq_no=12&from=2026-02-30');
    await seeErrorSummary(t, page, 'rq-04-bad-filter', ['user_seq_no', 'from']);
    await see(t, page, 'rq-04-bad-filter', ko('requests.list.title'));

    // The testing stage's checklist: some scenarios passed with links to their requests.
    const appId = (await app.db('applications').where({ organization_id: DEMO_SANDBOX.organizationId }).first('id'))
      .id as string;
    await page.goto(`/applications/${appId}/testing`);
    await seeOnPhoneAndDesktop(t, page, 'rq-05-testing-checklist', ko('workflow.testing.title'));
    const row = page.locator('tr[data-scenario="withdraw.duplicate_refused"]');
    t.equal(await row.getAttribute('data-status'), 'passed');
    t.equal(await row.locator('a').count(), 2, 'linked to the success and the refusal');
    t.equal(
      await page.locator('tr[data-scenario="auth.authorization_code"]').getAttribute('data-status'),
      'open',
      'the shortcut does not count',
    );
    await row.locator('a').last().click();
    await page.waitForURL(/\/sandbox\/requests\/\d+$/);
    t.pass('the evidence link opens the request');

    // The reviewer: the same checklist above the report, and the organization's log.
    const staff = await newPerson(t, browser, baseUrl, { viewport: PHONE });
    await signIn(t, staff.page, 'reviewer@portal.example', 'rq-06-staff-login');
    await staff.page.goto(`/staff/applications/${appId}`);
    t.equal(
      await staff.page.locator('tr[data-scenario="withdraw.duplicate_refused"]').getAttribute('data-status'),
      'passed',
    );
    await staff.page.getByRole('link', { name: ko('requests.conformance.log_link') }).click();
    await staff.page.waitForURL(/\/staff\/applications\/[0-9a-f-]+\/requests$/);
    await see(t, staff.page, 'rq-07-staff-requests-phone', ko('requests.staff.title', { reference: 'OB-2026-000001' }));
  });
