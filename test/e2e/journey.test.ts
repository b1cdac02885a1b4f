// The whole onboarding journey in a real browser, as the people involved see it (in Korean):
// an applicant signs up and applies, a reviewer asks for a change and approves, the developer gets
// sandbox credentials and runs the 3-legged consent as a test user, then testing sign-off, security
// inspection and the contract until the service is live. Every page is checked with axe-core.
import t, { type Test } from 'tap';
import { takeSignupLink } from '../helpers/build';
import type { Page } from 'playwright-core';
import {
  browserTestsEnabled,
  launchChromium,
  message,
  newPerson,
  see,
  seeErrorSummary,
  seeNotice,
  seeOnPhoneAndDesktop,
  signIn,
  startApp,
  startCallbackServer,
  tabTo,
  PHONE,
} from '../helpers/browser';

// 263 s and 306 s in the last two full `npm test` runs on a 2-core machine busy with other work (load average
// 5–10): every screen is checked for accessibility, layout and console errors. The margin is for such machines.
t.setTimeout(480_000);

type T = Test;

// The app's clock: real time plus a skew the journey moves on where it would otherwise have to wait.
let skewMs = 0;
const clock = () => new Date(Date.now() + skewMs);

const ko = (key: string, params?: Record<string, unknown>) => message('ko', key, params);

if (browserTestsEnabled(t))
  t.test('the onboarding journey in a real browser', async (t) => {
    const { app, baseUrl } = await startApp(t, { clock });
    const browser = await launchChromium(t);
    const applicantEmail = 'cto@hanbit-pay.example';
    const applicantPassword = 'hanbit-secret-42';

    // The applicant works without JavaScript; sign-up is done with the keyboard alone.
    const applicant = await newPerson(t, browser, baseUrl, { javaScriptEnabled: false });
    const a = applicant.page;

    await t.test('a visitor sees the front page and opens sign-up', async (t) => {
      await a.goto('/');
      await see(t, a, '01-home', ko('accounts.home.title'));
      await a.getByRole('link', { name: ko('accounts.home.start') }).click();
      await a.waitForURL('**/signup');
      await see(t, a, '02-signup', ko('accounts.signup.title'));
    });

    await t.test(
      'sign-up with a short password shows the error summary linking to the field, values kept',
      async (t) => {
        await a.fill('#organization_name', '한빛페이');
        await a.fill('#name', '이한빛');
        await a.fill('#email', applicantEmail);
        await a.fill('#password', 'short');
        await a.fill('#password_confirm', 'short');
        await a.getByRole('button', { name: ko('accounts.signup.submit') }).click();
        await a.waitForLoadState();
        await seeErrorSummary(t, a, '03-signup-error', ['password']);
        t.match(
          await a.locator('.error-summary').innerText(),
          ko('accounts.errors.password_short', { min: 10 }),
          'the message says what to do',
        );
        t.equal(await a.inputValue('#email'), applicantEmail, 'the e-mail address typed is kept');
        t.equal(await a.inputValue('#password'), '', 'the password is not sent back');
        await see(t, a, '03-signup-error', ko('accounts.signup.title'));
        await a.locator('.error-summary a[href="#password"]').click();
        t.equal(new URL(a.url()).hash, '#password', 'following the summary link goes to the password field');
        t.equal(
          await a.evaluate('document.activeElement && document.activeElement.id'),
          'password',
          'and puts the cursor in it',
        );
      },
    );

    await t.test('the applicant finishes sign-up with the keyboard alone', async (t) => {
      await a.goto('/signup');
      await a.locator('body').focus();
      await tabTo(a, '#organization_name');
      await a.keyboard.type('한빛페이');
      await tabTo(a, '#name');
      await a.keyboard.type('이한빛');
      await tabTo(a, '#email');
      await a.keyboard.type(applicantEmail);
      await tabTo(a, '#password');
      await a.keyboard.type(applicantPassword);
      await tabTo(a, '#password_confirm');
      await a.keyboard.type(applicantPassword);
      await tabTo(a, 'button[type=submit]');
      await Promise.all([a.waitForURL('**/signup/check-email'), a.keyboard.press('Enter')]);
      t.match(
        await a.locator('h1').innerText(),
        ko('accounts.signup.sent_title'),
        'the same "check your e-mail" answer for any address',
      );
      // The link from the confirmation e-mail (the outbox), then its button, with the keyboard.
      const { url } = await takeSignupLink(app, applicantEmail);
      await a.goto(new URL(url).pathname);
      await a.locator('body').focus();
      await tabTo(a, 'button[type=submit]');
      await Promise.all([a.waitForURL((u) => !u.pathname.startsWith('/signup')), a.keyboard.press('Enter')]);
      await seeNotice(t, a, ko('accounts.signup.welcome', { name: '이한빛' }));
    });

    // The redirect target for the OAuth consent later on, registered as a callback URL in the application.
    const callback = await startCallbackServer(t);
    const nextYear = new Date().getUTCFullYear() + 1;
    let applicationId = '';
    let reference = '';

    await t.test('the applicant starts an application and sees the five stages, later ones not yet open', async (t) => {
      await see(t, a, '04-applications-empty', ko('onboarding.home.title'));
      const stages = a.locator('.app-task-list-stage');
      t.equal(await stages.count(), 5, 'five stages');
      t.match(
        await stages.nth(1).innerText(),
        ko('onboarding.task_status.cannot_start_yet'),
        'suitability review cannot start yet',
      );
      t.equal(await stages.nth(1).locator('a').count(), 0, 'a stage that cannot start is not a link');
      await a.getByRole('button', { name: ko('onboarding.home.start'), exact: true }).click();
      await a.waitForURL(/\/applications\/[0-9a-f-]{36}\/company$/);
      applicationId = /\/applications\/([0-9a-f-]{36})\//.exec(a.url())![1]!;
      await seeNotice(t, a, ko('onboarding.home.created'));
      await see(t, a, '05-company', ko('onboarding.sections.company.title'));
      t.equal(
        (await a.locator('.caption').innerText()).trim(),
        ko('onboarding.caption', { position: 1, total: 5 }),
        'the caption says page 1 of 5',
      );
    });

    await t.test('the company page, typed with the keyboard alone, first with a wrong check digit', async (t) => {
      await a.locator('body').focus();
      const typeInto = async (selector: string, text: string) => {
        await tabTo(a, selector);
        await a.keyboard.type(text);
      };
      await typeInto('#legal_name', '주식회사 한빛페이');
      await tabTo(a, '#business_type');
      await a.keyboard.press('Space'); // the first radio: 법인사업자
      await typeInto('#business_registration_number', '214-87-12349'); // last digit wrong
      await typeInto('#corporate_registration_number', '110111-1234569');
      await typeInto('#representative', '이한빛');
      await typeInto('#address', '서울특별시 중구 세종대로 110');
      await typeInto('#founded_on', '2019-04-01');
      await typeInto('#paid_in_capital', '500,000,000');
      await typeInto('#employees', '42');
      await tabTo(a, '#sanctions_history');
      await a.keyboard.press('Space'); // the first radio: 없음
      await tabTo(a, '#criminal_record');
      await a.keyboard.press('Space');
      await tabTo(a, 'button[value=continue]');
      await Promise.all([a.waitForLoadState(), a.keyboard.press('Enter')]);
      await a.waitForSelector('.error-summary');
      await seeErrorSummary(t, a, '06-company-error', ['business_registration_number']);
      t.match(
        await a.locator('.error-summary').innerText(),
        ko('onboarding.errors.brn_check_digit'),
        'the summary says what is wrong',
      );
      t.match(
        await a.locator('#business_registration_number-error').innerText(),
        ko('onboarding.errors.brn_check_digit'),
        'the message is also next to the field',
      );
      t.equal(await a.inputValue('#legal_name'), '주식회사 한빛페이', 'other answers are kept');
      t.ok(await a.isChecked('#business_type'), 'the chosen business type is kept');
      await see(t, a, '06-company-error', ko('onboarding.sections.company.title'));

      // Fix it with the keyboard: go to the field, replace the number, save and continue.
      await a.locator('body').focus();
      await tabTo(a, '#business_registration_number');
      await a.keyboard.press('Control+A');
      await a.keyboard.type('214 87 12348'); // spaces are accepted
      await tabTo(a, 'button[value=continue]');
      await Promise.all([a.waitForURL(/\/service$/), a.keyboard.press('Enter')]);
      await see(t, a, '07-service', ko('onboarding.sections.service.title'));
    });

    await t.test('the service, API, technical and contact pages', async (t) => {
      await a.getByLabel(ko('onboarding.fields.service.service_name')).fill('한빛페이');
      await a.getByLabel(ko('onboarding.service_kinds.simple_payment')).check();
      await a
        .getByLabel(ko('onboarding.fields.service.description'))
        .fill('가맹점에서 사용자 계좌로 바로 결제하는 간편결제 서비스입니다. 잔액을 확인한 뒤 출금이체로 결제합니다.');
      await a.getByLabel(ko('onboarding.fields.service.launch_date')).fill(`${nextYear}-06-01`);
      await a.getByRole('button', { name: ko('onboarding.buttons.continue') }).click();
      await a.waitForURL(/\/apis$/);
      await see(t, a, '08-apis', ko('onboarding.sections.apis.title'));

      for (const api of ['balance', 'withdraw', 'transfer_result']) {
        await a.getByLabel(ko(`onboarding.apis.${api}.name`), { exact: true }).check();
      }
      await a.fill('#calls_balance', '100,000');
      await a.fill('#calls_withdraw', '50000');
      await a.fill('#calls_transfer_result', '5,000');
      // Withdrawals need a guarantee: its kind and amount.
      await a.getByLabel(ko('onboarding.guarantee_kinds.insurance')).check();
      await a.getByLabel(ko('onboarding.fields.apis.guarantee_amount')).fill('300,000,000');
      await a.getByRole('button', { name: ko('onboarding.buttons.continue') }).click();
      await a.waitForURL(/\/technical$/);
      await see(t, a, '09-technical', ko('onboarding.sections.technical.title'));

      await a
        .getByLabel(ko('onboarding.fields.technical.callback_urls'))
        .fill(`https://pay.hanbit.example/oauth/callback\n${callback.url}`);
      await a.getByLabel(ko('onboarding.fields.technical.server_ips')).fill('203.0.113.10\n198.51.100.0/24');
      await a.getByLabel(ko('onboarding.fields.technical.security_staff_count')).fill('3');
      await a.getByLabel(ko('onboarding.fields.technical.ciso_name')).fill('정보안');
      await a.getByRole('button', { name: ko('onboarding.buttons.continue') }).click();
      await a.waitForURL(/\/contacts$/);
      await see(t, a, '10-contacts', ko('onboarding.sections.contacts.title'));

      const people = {
        business: ['이업무', 'biz@hanbit-pay.example', '02-123-4567'],
        technical: ['박기술', 'dev@hanbit-pay.example', '010-1234-5678'],
        privacy: ['최보호', 'privacy@hanbit-pay.example', '031-987-6543'],
      };
      for (const [role, [name, email, phone]] of Object.entries(people)) {
        await a.fill(`#${role}_name`, name!);
        await a.fill(`#${role}_email`, email!);
        await a.fill(`#${role}_phone`, phone!);
      }
      await a.getByLabel(ko('onboarding.fields.contacts.complaint_channel')).fill('1588-0000, help@hanbit-pay.example');
      await a.getByLabel(ko('onboarding.fields.contacts.complaint_days')).fill('5');
      await a.getByRole('button', { name: ko('onboarding.buttons.continue') }).click();
      await a.waitForURL(/\/check$/);
      await see(t, a, '11-check', ko('onboarding.check.title'));
    });

    await t.test('check your answers shows every answer, and a Change link comes back to it', async (t) => {
      const main = await a.locator('main').innerText();
      for (const shown of [
        '주식회사 한빛페이',
        '214-87-12348',
        '500,000,000',
        '한빛페이',
        ko('onboarding.apis.withdraw.name'),
        callback.url,
        '198.51.100.0/24',
        'dev@hanbit-pay.example',
      ]) {
        t.match(main, shown, `the check page shows ${shown}`);
      }
      await a.locator('#section-service a[href*="#service_name"]').click();
      await a.waitForURL(/\/service\?return=check/);
      t.equal(
        await a.getByRole('link', { name: ko('onboarding.buttons.back_to_check') }).count(),
        1,
        'the page offers the way back to the check page',
      );
      await a.getByLabel(ko('onboarding.fields.service.service_name')).fill('한빛페이 플러스');
      await a.getByRole('button', { name: ko('onboarding.buttons.continue') }).click();
      await a.waitForURL(/\/check$/);
      t.match(await a.locator('#section-service').innerText(), '한빛페이 플러스', 'the changed answer is shown');
    });

    await t.test(
      'the check page names each missing document; the documents page takes them as PDF, PNG or JPEG',
      async (t) => {
        const notice = await a.locator('main').innerText();
        for (const kind of [
          'business_registration',
          'corporate_register',
          'financial_statements',
          'privacy_policy',
          'guarantee_certificate',
        ]) {
          t.match(notice, ko(`onboarding.documents.missing.${kind}`), `the check page names the missing ${kind}`);
        }
        await a.locator('a[href$="#document-business_registration"]').first().click();
        await a.waitForURL(/\/documents#document-business_registration$/);
        await see(t, a, '11a-documents', ko('onboarding.documents.title'));
        // A text file posing as a PDF is refused by its content.
        await a.locator('#file-business_registration').setInputFiles({
          name: 'fake.pdf',
          mimeType: 'application/pdf',
          buffer: Buffer.from('<html>not a pdf</html>'),
        });
        await a.locator('#document-business_registration button[type=submit]').click();
        await a.waitForSelector('.error-summary');
        await seeErrorSummary(t, a, '11b-documents-error', ['file-business_registration']);
        for (const kind of [
          'business_registration',
          'corporate_register',
          'financial_statements',
          'privacy_policy',
          'guarantee_certificate',
        ]) {
          await a.locator(`#file-${kind}`).setInputFiles({
            name: `${kind}.pdf`,
            mimeType: 'application/pdf',
            buffer: Buffer.from(`%PDF-1.7\n% ${kind}\n%%EOF\n`),
          });
          await Promise.all([
            a.waitForURL(new RegExp(`/documents#document-${kind}$`)),
            a.locator(`#document-${kind} button[type=submit]`).click(),
          ]);
          await seeNotice(t, a, ko('onboarding.documents.uploaded', { filename: `${kind}.pdf`, version: 1 }));
        }
        await see(t, a, '11c-documents-uploaded', ko('onboarding.documents.title'));
        await a.getByRole('link', { name: ko('onboarding.documents.to_check') }).click();
        await a.waitForURL(/\/check$/);
        t.notMatch(
          await a.locator('main').innerText(),
          ko('onboarding.documents.missing.business_registration'),
          'no document is missing any more',
        );
      },
    );

    await t.test('submitting without the declarations is refused; with them the reference is shown', async (t) => {
      await a.getByRole('button', { name: ko('onboarding.buttons.submit') }).click();
      await a.waitForSelector('.error-summary');
      await seeErrorSummary(t, a, '12-check-declarations-error', [
        'declare_accuracy',
        'declare_inquiry_consent',
        'declare_withdrawal_consent',
      ]);
      await see(t, a, '12-check-declarations-error', ko('onboarding.check.title'));
      for (const d of ['accuracy', 'inquiry_consent', 'withdrawal_consent']) await a.check(`#declare_${d}`);
      await a.getByRole('button', { name: ko('onboarding.buttons.submit') }).click();
      await a.waitForURL(/\/confirmation$/);
      await see(t, a, '13-confirmation', ko('onboarding.confirmation.title'));
      reference = (await a.locator('.panel .reference').innerText()).trim();
      t.match(reference, /^OB-\d{4}-\d{6}$/, `the reference number is shown (${reference})`);
      t.match(
        await a.locator('main').innerText(),
        ko('onboarding.confirmation.next_1', { days: 5 }),
        'what happens next is explained',
      );
      await a.getByRole('link', { name: ko('onboarding.confirmation.home') }).click();
      await see(t, a, '14-applications-submitted', ko('onboarding.home.title'));
      t.match(await a.locator('.app-card').innerText(), reference, 'the home card shows the reference');
      t.match(
        await a.locator('.app-card').innerText(),
        ko('onboarding.statuses.submitted'),
        'and the status "submitted"',
      );
    });

    // ---------------------------------------------------------------- stage 2: suitability review
    const reviewer = (await newPerson(t, browser, baseUrl)).page;
    const reviewUrl = () => `/staff/applications/${applicationId}`;

    await t.test('the reviewer signs in, finds the application in the queue and claims it', async (t) => {
      await signIn(t, reviewer, 'reviewer@portal.example', '15-staff-login');
      await reviewer.waitForURL('**/staff');
      await see(t, reviewer, '16-staff-queue', ko('workflow.queue.title'));
      const row = reviewer.locator('table.queue tbody tr', { hasText: reference });
      t.equal(await row.count(), 1, `the queue lists ${reference}`);
      t.match(await row.innerText(), '한빛페이', 'with the organization name');
      await row.getByRole('button', { name: ko('workflow.queue.claim') }).click();
      await reviewer.waitForURL((u) => u.pathname === reviewUrl());
      await seeNotice(t, reviewer, ko('workflow.review.claimed'));
      await see(t, reviewer, '17-staff-review', ko('workflow.review.heading', { reference }));
      const answers = await reviewer.locator('main').innerText();
      t.match(answers, '214-87-12348', 'the reviewer sees the submitted answers');
      t.match(answers, '한빛페이 플러스');
    });

    await t.test('the reviewer must give a reason, then requests a change to the service description', async (t) => {
      const form = reviewer.locator('form.decision', {
        has: reviewer.locator('input[name=event][value=request_changes]'),
      });
      await form.getByLabel(ko('workflow.sections.service'), { exact: true }).check();
      await form.getByRole('button', { name: ko('workflow.review.request_changes') }).click();
      await reviewer.waitForSelector('.error-summary');
      await seeErrorSummary(t, reviewer, '18-staff-review-error', ['reason_request_changes']);
      await see(t, reviewer, '18-staff-review-error', ko('workflow.review.heading', { reference }));
      t.ok(
        await form.getByLabel(ko('workflow.sections.service'), { exact: true }).isChecked(),
        'the chosen section is kept',
      );
      await form
        .getByLabel(ko('workflow.review.reason_for_applicant'))
        .fill('서비스 설명에 결제 한도와 환불 절차를 적어 주세요.');
      await form.getByRole('button', { name: ko('workflow.review.request_changes') }).click();
      await reviewer.waitForURL((u) => u.pathname === reviewUrl());
      await seeNotice(t, reviewer, ko('workflow.review.decided.request_changes'));
      t.match(
        await reviewer.locator('#decisions ~ ol.timeline, #decisions + ol').first().innerText(),
        '환불 절차',
        'the decision and its reason are recorded',
      );
    });

    await t.test('the applicant sees what to change, changes only that, and resubmits', async (t) => {
      await a.goto('/applications');
      await see(t, a, '19-applications-changes-requested', ko('onboarding.home.title'));
      const notice = a.locator('.app-card .notice-warning');
      t.match(
        await notice.innerText(),
        ko('onboarding.home.changes_requested_title'),
        'the changes-requested notice is shown',
      );
      t.match(await a.locator('main').innerText(), '환불 절차', "the reviewer's reason is shown");
      await notice.getByRole('link', { name: ko('onboarding.sections.service.title') }).click();
      await a.waitForURL(/\/service$/);
      await see(t, a, '20-service-change', ko('onboarding.sections.service.title'));
      await a
        .getByLabel(ko('onboarding.fields.service.description'))
        .fill(
          '가맹점에서 사용자 계좌로 바로 결제하는 간편결제 서비스입니다. 1회 결제 한도는 200만 원이며, 환불은 7일 안에 원래 계좌로 입금이체합니다.',
        );
      await a.getByRole('button', { name: ko('onboarding.buttons.continue') }).click();
      await a.waitForURL(/\/check$/);
      await see(t, a, '21-check-resubmit', ko('onboarding.check.title'));
      for (const d of ['accuracy', 'inquiry_consent', 'withdrawal_consent']) await a.check(`#declare_${d}`);
      await a.getByRole('button', { name: ko('onboarding.buttons.resubmit') }).click();
      await a.waitForURL(/\/confirmation$/);
      await see(t, a, '22-confirmation-resubmitted', ko('onboarding.confirmation.title_resubmitted'));
      t.equal((await a.locator('.panel .reference').innerText()).trim(), reference, 'the same reference number');
      t.match(
        await a.locator('.panel').innerText(),
        ko('onboarding.confirmation.version', { version: 2 }),
        'this is the second submission',
      );
    });

    await t.test('the reviewer sees what changed, completes the checklist and approves', async (t) => {
      await reviewer.goto(reviewUrl());
      if (await reviewer.getByRole('button', { name: ko('workflow.queue.claim') }).count()) {
        await reviewer.getByRole('button', { name: ko('workflow.queue.claim') }).click();
        await reviewer.waitForURL((u) => u.pathname === reviewUrl());
      }
      await see(t, reviewer, '23-staff-review-v2', ko('workflow.review.heading', { reference }));
      t.match(
        await reviewer.locator('main').innerText(),
        ko('workflow.review.diff_against', { number: 1 }),
        'the page compares with the first submission',
      );
      t.match(
        await reviewer
          .locator('ins')
          .allInnerTexts()
          .then((x) => x.join(' ')),
        '환불',
        'the added text is marked as inserted',
      );

      // Approving before the checklist is complete is refused with a reason.
      const approve = reviewer.locator('form.decision', { has: reviewer.locator('input[name=event][value=approve]') });
      await approve.getByLabel(ko('workflow.review.reason')).fill('적합성 기준을 모두 충족합니다.');
      await approve.getByRole('button', { name: ko('workflow.review.approve') }).click();
      await reviewer.waitForSelector('.error-summary');
      t.match(
        await reviewer.locator('.error-summary').innerText(),
        ko('workflow.errors.checklist_incomplete'),
        'approval needs the checklist',
      );
      await see(t, reviewer, '24-staff-review-checklist-missing', ko('workflow.review.heading', { reference }));

      for (const item of [
        'legal_entity',
        'capital',
        'sanctions',
        'business_plan',
        'privacy_officer',
        'it_security_staff',
        'withdrawal_guarantee',
        'complaint_handling',
      ]) {
        await reviewer.check(`#result_${item}_pass`);
      }
      await reviewer.getByRole('button', { name: ko('workflow.checklist.save') }).click();
      await reviewer.waitForURL((u) => u.pathname === reviewUrl());
      await seeNotice(t, reviewer, ko('workflow.checklist.saved'));
      await approve.getByLabel(ko('workflow.review.reason')).fill('적합성 기준을 모두 충족합니다.');
      await approve.getByRole('button', { name: ko('workflow.review.approve') }).click();
      await reviewer.waitForURL((u) => u.pathname === reviewUrl());
      await seeNotice(t, reviewer, ko('workflow.review.decided.approve'));
      await see(t, reviewer, '25-staff-review-approved', ko('workflow.review.heading', { reference }));
      t.match(
        await reviewer.locator('dl.summary').first().innerText(),
        ko('workflow.stages.testing'),
        'the application moved on to development and testing',
      );
    });

    // ---------------------------------------------------------------- sandbox credentials and 3-legged consent
    let clientId = '';
    let clientSecret = '';
    let clientUseCode = '';
    let userAccess = '';
    let userRefresh = '';

    await t.test(
      'the developer sees sandbox credentials and the registered callback URL, and creates a secret shown once',
      async (t) => {
        await a.goto('/applications');
        await a.getByRole('link', { name: ko('common.nav.sandbox') }).click();
        await a.waitForURL('**/sandbox');
        await see(t, a, '26-sandbox', ko('sandbox.title'));
        const credentials = a.locator('main dl.summary').first();
        t.match(
          await credentials.innerText(),
          ko('sandbox.credentials.client_use_code'),
          'the client use code is shown',
        );
        clientId = (
          await credentials
            .locator('div', { hasText: ko('sandbox.credentials.client_id') })
            .locator('code')
            .innerText()
        ).trim();
        t.match(clientId, /^[\w-]{8,}$/, `a client id is shown (${clientId})`);
        clientUseCode = (
          await credentials
            .locator('div', { hasText: ko('sandbox.credentials.client_use_code') })
            .first()
            .locator('code')
            .innerText()
        ).trim();
        t.match(
          await a.locator('main').innerText(),
          callback.url,
          'the callback URL from the application is registered',
        );
        await a.getByRole('button', { name: ko('sandbox.secrets.create') }).click();
        await a.waitForLoadState();
        clientSecret = (await a.locator('#new-client-secret').innerText()).trim();
        t.ok(clientSecret.length >= 20, 'a new client secret is shown');
        t.match(
          await a.locator('main').innerText(),
          ko('sandbox.secrets.shown_once'),
          'with the warning that it is shown once',
        );
        await see(t, a, '27-sandbox-secret', ko('sandbox.title'));
        await a.goto('/sandbox');
        t.notMatch(await a.locator('main').innerText(), clientSecret, 'the secret is not shown again');
      },
    );

    await t.test(
      'the test user hong connects accounts on the consent pages without JavaScript and the code reaches the callback',
      async (t) => {
        const hong = (await newPerson(t, browser, baseUrl, { javaScriptEnabled: false, viewport: PHONE })).page;
        const state = 'e2eState0123456789abcdefABCDEF01';
        const authorize = `/oauth/2.0/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: clientId,
          redirect_uri: callback.url,
          scope: 'login inquiry transfer',
          state,
          auth_type: '0',
          client_info: 'e2e-journey',
        })}`;
        await hong.goto(authorize);
        await see(t, hong, '28-oauth-login', ko('oauth.login.title'));
        t.match(await hong.locator('.caption').innerText(), '한빛페이', 'the page names the service asking');
        await hong.getByLabel(ko('oauth.login.login_id')).fill('hong');
        await hong.getByLabel(ko('oauth.login.password'), { exact: true }).fill('wrong-password');
        await hong.getByRole('button', { name: ko('oauth.login.submit') }).click();
        await hong.waitForSelector('.error-summary');
        await seeErrorSummary(t, hong, '29-oauth-login-error', ['login_id']);
        t.match(await hong.locator('.error-summary').innerText(), ko('oauth.login.failed'));
        await see(t, hong, '29-oauth-login-error', ko('oauth.login.title'));
        await hong.getByLabel(ko('oauth.login.password'), { exact: true }).fill('test1234!');
        await hong.getByRole('button', { name: ko('oauth.login.submit') }).click();
        await hong.waitForURL('**/oauth/2.0/authorize/accounts');
        await see(t, hong, '30-oauth-accounts', ko('oauth.accounts.title'));
        t.match(await hong.locator('main').innerText(), '1101230000678', "hong's accounts are listed");
        await hong.getByRole('button', { name: ko('oauth.continue') }).click();
        await hong.waitForURL('**/oauth/2.0/authorize/consent');
        await see(t, hong, '31-oauth-consent', ko('oauth.consent.title'));
        // Allowing without the required agreements is refused, each one named.
        await hong.getByRole('button', { name: ko('oauth.consent.allow') }).click();
        await seeErrorSummary(t, hong, '31-oauth-consent-error', ['agree_service', 'agree_inquiry', 'agree_transfer']);
        t.match(
          await hong.locator('.error-summary').innerText(),
          ko('oauth.consent.transfer_required'),
          'the withdrawal consent is required',
        );
        await see(t, hong, '31-oauth-consent-error', ko('oauth.consent.title'));
        t.equal(callback.hits.filter((u) => u.pathname === '/callback').length, 0, 'nothing reached the callback yet');
        for (const id of ['agree_service', 'agree_inquiry', 'agree_transfer']) await hong.check(`#${id}`);
        const arsHint = await hong.locator('#ars_code-hint').innerText();
        const arsCode = /(\d{2,})/.exec(arsHint)?.[1];
        t.ok(arsCode, `the simulated ARS call tells the code (${arsHint})`);
        await hong.getByLabel(ko('oauth.consent.ars_label')).fill(arsCode!);
        await hong.getByRole('button', { name: ko('oauth.consent.allow') }).click();
        await hong.waitForURL((u) => u.href.startsWith(callback.url));
        t.equal(
          (await hong.locator('h1').innerText()).trim(),
          'Callback received',
          'the browser lands on the callback',
        );
        const hit = callback.hits.filter((u) => u.pathname === '/callback').pop()!; // (the browser also asks for /favicon.ico)
        t.ok(hit, 'the callback was requested');
        const code = hit.searchParams.get('code') ?? '';
        t.match(code, /^[A-Za-z0-9]{20,}$/, 'an authorization code arrives');
        t.equal(hit.searchParams.get('state'), state, 'the state is echoed');
        t.equal(hit.searchParams.get('client_info'), 'e2e-journey', 'client_info is echoed');
        t.equal(hit.searchParams.get('scope'), 'inquiry login transfer', 'the granted scopes are listed');

        // The developer's server exchanges the code, as its own back end would.
        const res = await fetch(`${baseUrl}/oauth/2.0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uri: callback.url,
          }),
        });
        const token = (await res.json()) as Record<string, unknown>;
        t.equal(res.status, 200);
        t.equal(token.token_type, 'Bearer', `the code buys a user token (${JSON.stringify(token).slice(0, 200)})`);
        t.equal(token.user_seq_no, '1100000001', "for hong's user number");
        userAccess = String(token.access_token);
        userRefresh = String(token.refresh_token);
      },
    );

    // ---------------------------------------------------------------- stage 3: the conformance scenarios, for real
    await t.test(
      "the developer's back end passes every required scenario against the emulator and the checklist turns green",
      async (t) => {
        await openStage(t, 2, 'testing');
        const open = () => a.locator('tr[data-status="open"]').count();
        t.equal(await open(), 8, 'after the consent and code exchange only auth.authorization_code has passed');
        const call = async (method: string, path: string, token: string, body?: Record<string, unknown>) => {
          const res = await fetch(`${baseUrl}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
            body: body ? JSON.stringify(body) : undefined,
          });
          return (await res.json()) as Record<string, any>;
        };
        const form = async (fields: Record<string, string>) =>
          (
            await fetch(`${baseUrl}/oauth/2.0/token`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams(fields),
            })
          ).json() as Promise<Record<string, any>>;
        let n = 0;
        const tranId = () =>
          `${clientUseCode}U${String(Date.now() % 1e6).padStart(6, '0')}${String(++n).padStart(3, '0')}`;
        const kst = (d = clock()) => new Date(d.getTime() + 9 * 3600_000).toISOString().replace(/\D/g, '');
        const oob = (
          await form({
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: clientSecret,
            scope: 'oob',
          })
        ).access_token as string;
        const refreshed = await form({
          grant_type: 'refresh_token',
          refresh_token: userRefresh,
          client_id: clientId,
          client_secret: clientSecret,
        });
        t.ok(refreshed.access_token, 'the refresh grant answers a new token');
        const user = (refreshed.access_token as string) || userAccess;
        const me = await call('GET', '/v2.0/user/me?user_seq_no=1100000001', user);
        const fin = (me.res_list as { fintech_use_num: string; account_num_masked: string }[]).find((x) =>
          x.account_num_masked.startsWith('1101230000'),
        )!.fintech_use_num;
        const bal = await call(
          'GET',
          `/v2.0/account/balance/fin_num?${new URLSearchParams({ bank_tran_id: tranId(), fintech_use_num: fin, tran_dtime: kst().slice(0, 14) })}`,
          user,
        );
        t.equal(bal.rsp_code, 'A0000', 'balance');
        // The organization's withdrawal collection account (as the sandbox page lists it).
        const orgId = (await app.db('credential_sets').where({ client_id: clientId }).first('organization_id'))
          .organization_id as string;
        const collecting = (
          await app
            .db('bank_accounts')
            .where({ organization_id: orgId, purpose: 'withdraw_collecting' })
            .first('account_num')
        ).account_num as string;
        const withdraw = (id: string, amount: string) => ({
          bank_tran_id: id,
          cntr_account_type: 'N',
          cntr_account_num: collecting,
          dps_print_content: '한빛페이',
          fintech_use_num: fin,
          wd_print_content: '한빛페이',
          tran_amt: amount,
          tran_dtime: kst().slice(0, 14),
          req_client_name: '홍길동',
          req_client_fintech_use_num: fin,
          req_client_num: 'HONG1',
          transfer_purpose: 'TR',
        });
        const first = tranId();
        t.equal(
          (await call('POST', '/v2.0/transfer/withdraw/fin_num', user, withdraw(first, '10000'))).rsp_code,
          'A0000',
          'a withdrawal',
        );
        t.equal(
          (await call('POST', '/v2.0/transfer/withdraw/fin_num', user, withdraw(first, '10000'))).rsp_code,
          'A0326',
          'the same bank_tran_id refused',
        );
        t.equal(
          (await call('POST', '/v2.0/transfer/withdraw/fin_num', user, withdraw(tranId(), '4530'))).bank_rsp_code,
          '453',
          'insufficient funds',
        );
        const pending = tranId();
        t.equal(
          (await call('POST', '/v2.0/transfer/withdraw/fin_num', user, withdraw(pending, '7001'))).rsp_code,
          'A0001',
          'a transfer still processing',
        );
        // The emulator's clock moves on 11 s (past the 10 s a 7001 transfer stays processing) instead of waiting.
        skewMs += 11_000;
        const result = await call('POST', '/v2.0/transfer/result', oob, {
          check_type: '1',
          tran_dtime: kst().slice(0, 14),
          req_cnt: '1',
          req_list: [
            { tran_no: '1', org_bank_tran_id: pending, org_bank_tran_date: kst().slice(0, 8), org_tran_amt: '7001' },
          ],
        });
        t.equal(result.rsp_code, 'A0000', 'its outcome after it settled');
        await a.reload();
        t.equal(await open(), 0, 'every scenario has passed');
        await see(t, a, '32-testing-conformance', ko('workflow.testing.title'));
      },
    );

    // ---------------------------------------------------------------- stage 3: testing sign-off
    await t.test('the applicant reports testing and a second reviewer signs it off', async (t) => {
      await openStage(t, 2, 'testing');
      await see(t, a, '32-testing', ko('workflow.testing.title'));
      const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
      await a.getByLabel(ko('workflow.testing.period_start')).fill(today);
      await a.getByLabel(ko('workflow.testing.period_end')).fill(today);
      for (const api of ['balance', 'withdraw', 'transfer_result']) {
        await a.fill(
          `#tested_${api}`,
          `테스트 사용자 홍길동 계좌로 ${ko(`onboarding.apis.${api}.name`)} 정상·오류 응답을 모두 확인했습니다.`,
        );
      }
      await a.getByRole('button', { name: ko('workflow.testing.submit') }).click();
      await a.waitForURL(/\/testing$/);
      await seeNotice(t, a, ko('workflow.testing.submitted'));
      t.match(await a.locator('main').innerText(), ko('workflow.testing.waiting'), 'the report waits for review');
      await see(t, a, '33-testing-submitted', ko('workflow.testing.title'));

      // Separation of duties: the reviewer who approved suitability may not decide testing; a second reviewer does.
      const reviewer2 = (await newPerson(t, browser, baseUrl)).page;
      await signIn(t, reviewer2, 'reviewer2@portal.example', '34-reviewer2-login');
      await reviewer2.waitForURL('**/staff');
      await reviewer2.goto('/staff');
      const row = reviewer2.locator('table.queue tbody tr', { hasText: reference });
      t.match(await row.innerText(), ko('workflow.stages.testing'), 'the queue shows the testing stage');
      await row.getByRole('link').first().click();
      await reviewer2.waitForURL((u) => u.pathname === reviewUrl());
      if (await reviewer2.getByRole('button', { name: ko('workflow.queue.claim') }).count()) {
        await reviewer2.getByRole('button', { name: ko('workflow.queue.claim') }).click();
        await reviewer2.waitForURL((u) => u.pathname === reviewUrl());
      }
      t.match(
        await reviewer2.locator('#testing-report ~ dl').first().innerText(),
        '홍길동',
        'the reviewer reads the testing report',
      );
      await see(t, reviewer2, '34-staff-testing-review', ko('workflow.review.heading', { reference }));
      const approve = reviewer2.locator('form.decision', {
        has: reviewer2.locator('input[name=event][value=approve]'),
      });
      await approve.getByLabel(ko('workflow.review.reason')).fill('신청한 API의 시험 내용을 확인했습니다.');
      await approve.getByRole('button', { name: ko('workflow.review.approve') }).click();
      await reviewer2.waitForURL((u) => u.pathname === reviewUrl());
      await seeNotice(t, reviewer2, ko('workflow.review.decided.approve'));
      t.match(
        await reviewer2.locator('dl.summary').first().innerText(),
        ko('workflow.stages.security'),
        'the application moved on to the security inspection',
      );
    });

    /** Opens a later stage from the applicant's task list, as the applicant would. */
    async function openStage(t: T, index: number, path: string): Promise<void> {
      await a.goto('/applications');
      const link = a.locator('.app-task-list-stage').nth(index).locator('a');
      t.equal(await link.count(), 1, `the task list links to stage ${index + 1}`);
      await link.click();
      await a.waitForURL((u) => u.pathname === `/applications/${applicationId}/${path}`);
    }

    /** A staff member opens the application from their queue, claims it when offered, and returns the review page. */
    async function openFromQueue(t: T, page: Page): Promise<void> {
      await page.goto('/staff');
      const row = page.locator('table.queue tbody tr', { hasText: reference });
      t.equal(await row.count(), 1, `${reference} is in the queue`);
      await row.getByRole('link').first().click();
      await page.waitForURL((u) => u.pathname === reviewUrl());
      const claim = page.getByRole('button', { name: ko('workflow.queue.claim') });
      if (await claim.count()) {
        await claim.click();
        await page.waitForURL((u) => u.pathname === reviewUrl());
      }
    }

    // ---------------------------------------------------------------- stage 4: security inspection
    const inspector = (await newPerson(t, browser, baseUrl)).page;
    const pdf = (name: string) => ({
      name,
      mimeType: 'application/pdf',
      buffer: Buffer.from(
        `%PDF-1.4\n% ${name}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
      ),
    });

    await t.test(
      'the applicant uploads the security documents (a fake PDF is refused) and asks for the inspection',
      async (t) => {
        await openStage(t, 3, 'security');
        await see(t, a, '35-security', ko('inspection.applicant.title'));
        const first = a.locator('#document-self_assessment');
        await first.locator('input[type=file]').setInputFiles({
          name: 'self-assessment.pdf',
          mimeType: 'application/pdf',
          buffer: Buffer.from('this is not a PDF at all'),
        });
        await first.getByRole('button', { name: ko('inspection.documents.upload') }).click();
        await a.waitForSelector('.error-summary');
        await seeErrorSummary(t, a, '36-security-upload-error', ['file-self_assessment']);
        t.match(
          await a.locator('.error-summary').innerText(),
          ko('inspection.errors.file_type'),
          'a file that is not really a PDF is refused',
        );
        await see(t, a, '36-security-upload-error', ko('inspection.applicant.title'));
        for (const kind of ['self_assessment', 'vulnerability_scan', 'penetration_test']) {
          const section = a.locator(`#document-${kind}`);
          await section.locator('input[type=file]').setInputFiles(pdf(`${kind}.pdf`));
          await section.getByRole('button', { name: ko('inspection.documents.upload') }).click();
          await a.waitForURL((u) => u.pathname === `/applications/${applicationId}/security`);
          await seeNotice(t, a, ko('inspection.applicant.uploaded', { filename: `${kind}.pdf`, version: 1 }));
        }
        await a.getByRole('button', { name: ko('inspection.applicant.submit') }).click();
        await a.waitForURL((u) => u.pathname === `/applications/${applicationId}/security`);
        await seeNotice(t, a, ko('inspection.applicant.submitted'));
        await see(t, a, '37-security-submitted', ko('inspection.applicant.title'));
      },
    );

    await t.test('the inspector records a high finding, which blocks approval', async (t) => {
      await signIn(t, inspector, 'inspector@portal.example', '38-inspector-login');
      await openFromQueue(t, inspector);
      await see(t, inspector, '39-inspector-review', ko('workflow.review.heading', { reference }));
      await inspector.locator('main .notice a[href$="/security"]').click();
      await inspector.waitForURL((u) => u.pathname === `${reviewUrl()}/security`);
      await see(t, inspector, '40-inspector-security', ko('inspection.staff.title'));
      t.equal((await inspector.locator('a[download]').count()) >= 3, true, 'the three documents can be downloaded');
      await inspector.getByLabel(ko('inspection.severities.high'), { exact: true }).check();
      await inspector
        .getByLabel(ko('inspection.findings.finding_title'), { exact: true })
        .fill('관리자 페이지에 다중 인증이 없음');
      await inspector
        .getByLabel(ko('inspection.findings.description'), { exact: true })
        .fill('관리자 로그인에 비밀번호만 사용합니다. OTP 등 2단계 인증을 적용하세요.');
      await inspector.getByRole('button', { name: ko('inspection.findings.record') }).click();
      await inspector.waitForURL((u) => u.pathname === `${reviewUrl()}/security`);
      await seeNotice(t, inspector, ko('inspection.staff.finding_recorded'));
      t.match(
        await inspector.locator('main').innerText(),
        ko('inspection.staff.cannot_approve', { count: 1 }),
        'approval is blocked by the open high finding',
      );
      t.equal(
        await inspector.getByRole('button', { name: ko('inspection.staff.approve'), exact: true }).count(),
        0,
        'there is no approve button',
      );
      await see(t, inspector, '41-inspector-finding', ko('inspection.staff.title'));
    });

    await t.test('the applicant remediates; the inspector verifies and approves', async (t) => {
      await a.goto(`/applications/${applicationId}/security`);
      const finding = a.locator('article.security-finding', { hasText: '관리자 페이지에 다중 인증이 없음' });
      t.match(await finding.innerText(), ko('inspection.severities.high'), 'the applicant sees the high finding');
      await finding
        .getByLabel(ko('inspection.findings.remediation_label'))
        .fill('관리자 로그인에 TOTP 2단계 인증을 적용했습니다. 설정 화면을 첨부합니다.');
      await finding.locator('input[type=file]').setInputFiles(pdf('mfa-evidence.pdf'));
      await finding.getByRole('button', { name: ko('inspection.findings.send_remediation') }).click();
      await a.waitForURL((u) => u.pathname === `/applications/${applicationId}/security`);
      await seeNotice(t, a, ko('inspection.applicant.remediation_sent'));
      await see(t, a, '42-security-remediated', ko('inspection.applicant.title'));

      await inspector.goto(`${reviewUrl()}/security`);
      const staffFinding = inspector.locator('article.security-finding', {
        hasText: '관리자 페이지에 다중 인증이 없음',
      });
      t.match(await staffFinding.innerText(), 'TOTP', 'the inspector reads the remediation');
      await staffFinding.getByRole('button', { name: ko('inspection.findings.verify') }).click();
      await inspector.waitForURL((u) => u.pathname === `${reviewUrl()}/security`);
      await seeNotice(t, inspector, ko('inspection.staff.finding_verified'));
      const approve = inspector.locator('form.decision', {
        has: inspector.locator('input[name=decision][value=approve]'),
      });
      await approve.getByLabel(ko('inspection.staff.reason')).fill('발견사항이 조치되었음을 확인했습니다.');
      await approve.getByRole('button', { name: ko('inspection.staff.approve'), exact: true }).click();
      await inspector.waitForURL((u) => u.pathname === reviewUrl());
      await seeNotice(t, inspector, ko('inspection.staff.decided_approve'));
      await see(t, inspector, '43-inspector-approved', /심사$/);
      t.notMatch(
        await inspector.locator('main').innerText(),
        ko('inspection.staff.not_in_stage'),
        'one coherent state: no "not in the security stage" beside the success',
      );
    });

    // ---------------------------------------------------------------- stage 5: contract → live
    const officer = (await newPerson(t, browser, baseUrl)).page;

    await t.test('the owner signs the contract; a wrong name is refused first', async (t) => {
      await openStage(t, 4, 'contract');
      await see(t, a, '44-contract', ko('contract.applicant.title'));
      await a.getByLabel(ko('contract.applicant.full_name')).fill('이한빛');
      await a.getByRole('button', { name: ko('contract.applicant.sign') }).click();
      await a.waitForSelector('.error-summary');
      t.match(
        await a.locator('.error-summary').innerText(),
        ko('contract.errors.accept_required'),
        'signing needs the acceptance box',
      );
      await see(t, a, '45-contract-error', ko('contract.applicant.title'));
      await a.getByLabel(ko('contract.applicant.full_name')).fill('이한빛');
      await a.locator('#accept').check();
      await a.getByRole('button', { name: ko('contract.applicant.sign') }).click();
      await a.waitForURL((u) => u.pathname === `/applications/${applicationId}/contract`);
      await seeNotice(t, a, ko('contract.applicant.signed'));
      t.match(
        await a.locator('main').innerText(),
        ko('contract.awaiting_countersignature'),
        'it waits for the countersignature',
      );
      await see(t, a, '46-contract-signed', ko('contract.applicant.title'));
    });

    await t.test('the contract officer countersigns and the service is live', async (t) => {
      await signIn(t, officer, 'contract@portal.example', '47-officer-login');
      await openFromQueue(t, officer);
      await officer.locator('main .notice a[href$="/contract"]').click();
      await officer.waitForURL((u) => u.pathname === `${reviewUrl()}/contract`);
      await see(t, officer, '48-officer-contract', ko('contract.staff.title'));
      await officer.getByLabel(ko('contract.staff.note')).fill('서명자와 계약 내용을 확인했습니다.');
      await officer.getByRole('button', { name: ko('contract.staff.countersign') }).click();
      await officer.waitForURL((u) => u.pathname === `${reviewUrl()}/contract`);
      await seeNotice(t, officer, ko('contract.staff.countersigned'));
      await see(t, officer, '49-officer-countersigned', ko('contract.staff.title'));

      await a.goto(`/applications/${applicationId}/contract`);
      t.match(
        await a.locator('.panel').innerText(),
        ko('contract.live_title'),
        'the applicant sees that the service is live',
      );
      await seeOnPhoneAndDesktop(t, a, '50-contract-live', ko('contract.applicant.title'));
      await a.goto('/applications');
      t.match(
        await a.locator('.app-card').innerText(),
        ko('onboarding.stages.live'),
        'the application home shows the live stage',
      );
      const history = await a.locator('.timeline').innerText();
      t.same(
        history.match(/\b[a-z]+\.[a-z_]+\b(?![.@-])/g)?.filter((w) => !/\.example$/.test(w)) ?? [],
        [],
        'the history names every step in words, not internal event names',
      );
      await see(t, a, '51-applications-live', ko('onboarding.home.title'));
    });
  });
