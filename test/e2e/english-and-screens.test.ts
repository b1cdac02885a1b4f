// The portal once in English, and its key pages on a 375 px phone and a 1280 px desktop: no sideways
// scrolling, no serious accessibility problem, a screenshot of each width. Uses the demo data for pages
// that need an application further along (the journey test walks there itself).
import t from 'tap';
import type { Page } from 'playwright-core';
import { DEMO_SANDBOX } from '../../src/testbed/users/demo-fixtures';
import { takeSignupLink } from '../helpers/build';
import {
  browserTestsEnabled,
  launchChromium,
  message,
  newPerson,
  PHONE,
  seeErrorSummary,
  seeNotice,
  seeOnPhoneAndDesktop,
  signIn,
  startApp,
} from '../helpers/browser';

t.setTimeout(240_000);

const en = (key: string, params?: Record<string, unknown>) => message('en', key, params);
const ko = (key: string, params?: Record<string, unknown>) => message('ko', key, params);

if (browserTestsEnabled(t))
  t.test('English, phones and desktops', async (t) => {
    const { app, baseUrl } = await startApp(t);
    const browser = await launchChromium(t);

    await t.test(
      'a visitor switches to English, signs up (after an error) and starts an application in English',
      async (t) => {
        const { page } = await newPerson(t, browser, baseUrl, { viewport: PHONE });
        await page.goto('/');
        t.equal(await page.getAttribute('html', 'lang'), 'ko', 'Korean by default');
        await page.getByRole('link', { name: ko('common.switch_language') }).click();
        await page.waitForURL(/lang=en/);
        t.equal(await page.getAttribute('html', 'lang'), 'en', 'the page says it is in English');
        await seeOnPhoneAndDesktop(t, page, 'en-01-home', en('accounts.home.title'));

        await page.getByRole('link', { name: en('accounts.home.start') }).click();
        await page.waitForURL('**/signup');
        await seeOnPhoneAndDesktop(t, page, 'en-02-signup', en('accounts.signup.title'));
        await page.getByLabel(en('accounts.fields.organization_name')).fill('Hanbit Pay');
        await page.getByLabel(en('accounts.fields.name'), { exact: true }).fill('Hanbit Lee');
        await page.getByLabel(en('accounts.fields.email')).fill('not-an-email');
        await page.getByRole('button', { name: en('accounts.signup.submit') }).click();
        await page.waitForSelector('.error-summary');
        await seeErrorSummary(t, page, 'en-03-signup-error', ['email', 'password'], 'en');
        t.match(
          await page.locator('.error-summary').innerText(),
          en('accounts.errors.email_invalid'),
          'the message is in English',
        );
        await seeOnPhoneAndDesktop(t, page, 'en-03-signup-error', en('accounts.signup.title'));

        await page.getByLabel(en('accounts.fields.email')).fill('lee@hanbit-pay.example');
        await page.getByLabel(en('accounts.fields.password'), { exact: true }).fill('hanbit-secret-42');
        await page.getByLabel(en('accounts.fields.password_confirm')).fill('hanbit-secret-42');
        await page.getByRole('button', { name: en('accounts.signup.submit') }).click();
        await page.waitForURL('**/signup/check-email');
        t.match(
          await page.locator('h1').innerText(),
          en('accounts.signup.sent_title'),
          'asked to check the e-mail, in English',
        );
        const { url } = await takeSignupLink(app, 'lee@hanbit-pay.example'); // the link from the confirmation e-mail (the outbox)
        await page.goto(new URL(url).pathname);
        await page.getByRole('button', { name: en('accounts.signup.confirm_submit') }).click();
        await page.waitForURL('**/applications');
        await seeNotice(t, page, en('accounts.signup.welcome', { name: 'Hanbit Lee' }));
        await seeOnPhoneAndDesktop(t, page, 'en-04-applications', en('onboarding.home.title'));
        t.match(
          await page.locator('.app-task-list').innerText(),
          en('onboarding.task_status.cannot_start_yet'),
          'the task list is in English',
        );

        await page.getByRole('button', { name: en('onboarding.home.start'), exact: true }).click();
        await page.waitForURL(/\/company$/);
        await seeOnPhoneAndDesktop(t, page, 'en-05-company', en('onboarding.sections.company.title'));
        await page.getByRole('button', { name: en('onboarding.buttons.continue') }).click();
        await page.waitForSelector('.error-summary');
        // The legal name starts as the organization's name given at sign-up; the rest is still to enter.
        await seeErrorSummary(
          t,
          page,
          'en-06-company-error',
          ['business_registration_number', 'representative', 'sanctions_history', 'criminal_record'],
          'en',
        );
        t.match(
          await page.locator('.error-summary').innerText(),
          en('onboarding.errors.sanctions_history_required'),
          'the new questions are asked in English too',
        );
        t.match(
          await page.locator('.error-summary').innerText(),
          en('onboarding.errors.brn_required'),
          'the error says what to enter, in English',
        );
        await seeOnPhoneAndDesktop(t, page, 'en-06-company-error', en('onboarding.sections.company.title'));
        await page.goto(page.url().replace(/\/company$/, '/apis'));
        await seeOnPhoneAndDesktop(t, page, 'en-07-apis', en('onboarding.sections.apis.title'));
        await page.goto(page.url().replace(/\/apis$/, '/documents'));
        await seeOnPhoneAndDesktop(t, page, 'en-07b-documents', en('onboarding.documents.title'));
        t.match(
          await page.locator('main').innerText(),
          en('onboarding.documents.kinds.business_registration.name'),
          'the documents are named in English',
        );
      },
    );

    await t.test(
      'a fintech in development sees its application, sandbox, ledger and the API docs on both widths',
      async (t) => {
        const { page } = await newPerson(t, browser, baseUrl);
        await signIn(t, page, 'owner@demo-fintech.example', 'screens-01-login');
        await page.waitForURL('**/applications');
        await seeOnPhoneAndDesktop(t, page, 'screens-02-applications', ko('onboarding.home.title'));
        const applicationId = await firstApplicationId(page);
        await page.goto(`/applications/${applicationId}/check`);
        await seeOnPhoneAndDesktop(t, page, 'screens-03-submitted-answers', ko('onboarding.check.title_submitted'));
        await page.goto(`/applications/${applicationId}/testing`);
        await seeOnPhoneAndDesktop(t, page, 'screens-04-testing', ko('workflow.testing.title'));
        await page.goto('/sandbox');
        await seeOnPhoneAndDesktop(t, page, 'screens-05-sandbox', ko('sandbox.title'));
        t.match(await page.locator('main').innerText(), DEMO_SANDBOX.clientId, 'the demo client id is shown');
        await page.goto('/sandbox/ledger');
        await seeOnPhoneAndDesktop(t, page, 'screens-06-sandbox-ledger', ko('testbed.ledger.title'));
        const docs = await page.goto('/docs');
        // The reference goes gzip-compressed, spliced around a body compressed once (src/http/gzip-splice.ts):
        // the browser takes that member as it is.
        t.equal(docs?.headers()['content-encoding'], 'gzip', 'the API reference arrives gzip-compressed');
        await seeOnPhoneAndDesktop(t, page, 'screens-07-docs', ko('testbed.docs.title'));
        t.ok((await page.locator('section[id^="api-"]').count()) >= 28, 'and every endpoint of it is there');
      },
    );

    await t.test('a reviewer sees the queue and a review page on both widths', async (t) => {
      const { page } = await newPerson(t, browser, baseUrl);
      await signIn(t, page, 'reviewer@portal.example', 'screens-08-staff-login');
      await page.waitForURL('**/staff');
      await seeOnPhoneAndDesktop(t, page, 'screens-09-staff-queue', ko('workflow.queue.title'));
      const row = page.locator('table.queue tbody tr', { hasText: '샘플페이' });
      t.equal(await row.count(), 1, 'the waiting demo application is in the queue');
      const reference = (await row.getByRole('link').first().innerText()).trim();
      await row.getByRole('link').first().click();
      await page.waitForURL(/\/staff\/applications\/[0-9a-f-]{36}$/);
      await seeOnPhoneAndDesktop(t, page, 'screens-10-staff-review', ko('workflow.review.heading', { reference }));
    });

    await t.test('the consent pages fit a phone', async (t) => {
      const { page } = await newPerson(t, browser, baseUrl, { viewport: PHONE, javaScriptEnabled: false });
      await page.goto(
        `/oauth/2.0/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: DEMO_SANDBOX.clientId,
          redirect_uri: DEMO_SANDBOX.callbackUrl,
          scope: 'login inquiry',
          state: 'screensState0123456789abcdefABCD',
          auth_type: '0',
        })}`,
      );
      await seeOnPhoneAndDesktop(t, page, 'screens-11-oauth-login', ko('oauth.login.title'));
      await page.getByLabel(ko('oauth.login.login_id')).fill('hong');
      await page.getByLabel(ko('oauth.login.password'), { exact: true }).fill('test1234!');
      await page.getByRole('button', { name: ko('oauth.login.submit') }).click();
      await page.waitForURL('**/oauth/2.0/authorize/accounts');
      await seeOnPhoneAndDesktop(t, page, 'screens-12-oauth-accounts', ko('oauth.accounts.title'));
      await page.getByRole('button', { name: ko('oauth.continue') }).click();
      await page.waitForURL('**/oauth/2.0/authorize/consent');
      await seeOnPhoneAndDesktop(t, page, 'screens-13-oauth-consent', ko('oauth.consent.title'));
    });
  });

async function firstApplicationId(page: Page): Promise<string> {
  const href = await page.locator('main a[href^="/applications/"]').first().getAttribute('href');
  const id = /\/applications\/([0-9a-f-]{36})/.exec(href ?? '')?.[1];
  if (!id) throw new Error(`no application link on ${page.url()}`);
  return id;
}
