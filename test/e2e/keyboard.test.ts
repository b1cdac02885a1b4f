// Every form of the portal journey used with the keyboard alone: each field and the submit button are
// reached with Tab (radios with the arrow keys, files through the chooser that Space opens), values are
// typed, the form is sent with Enter or Space, and the page the person lands on is checked. Every element
// that takes focus on the way (links, buttons, fields, scrollable tables) must show it visibly.
// Preconditions that are not the form under test (a resubmission, an approval) go through the app itself.
import t from 'tap';
import { claimIfOffered, heading, injectAs, Keyboard, pdf, signIn } from '../helpers/keyboard';
import { REQUIRED_DOCUMENTS, VALID_ANSWERS } from '../helpers/onboarding';
import { takeSignupLink } from '../helpers/build';
import { recordPassingEvidence } from '../helpers/conformance';
import {
  browserTestsEnabled,
  launchChromium,
  message,
  newPerson,
  problemsOn,
  seeNotice,
  startApp,
  startCallbackServer,
} from '../helpers/browser';

// Under a minute on an idle 2-core machine; the margin is for a machine busy with other work.
t.setTimeout(300_000);

const ko = (key: string, params?: Record<string, unknown>) => message('ko', key, params);

// A form with a field Tab skips (tabindex=-1) and a link whose focus is hidden (outline and shadow removed).
const BAD_FORM = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad form</title><link rel="stylesheet" href="/kbd-bad.css"></head>
<body><main><h1>Bad form</h1><p><a class="hidden-focus" href="#x">a link</a></p><form method="post" action="/kbd-bad">
<label for="one">One</label><input id="one" name="one"><label for="two">Two</label><input id="two" name="two" tabindex="-1">
<button type="submit">Send</button></form></main></body></html>`;
const BAD_FORM_CSS =
  'input:focus, button:focus { outline:3px solid #fd0 } a.hidden-focus:focus { outline:none; box-shadow:none }';

if (browserTestsEnabled(t))
  t.test('every form of the journey with the keyboard alone', async (t) => {
    const { app, baseUrl } = await startApp(t);
    const browser = await launchChromium(t);

    await t.test('the keyboard checks find a field Tab cannot reach and a focus that cannot be seen', async (t) => {
      const { page } = await newPerson(t, browser, 'http://kbd.test');
      await page.route('http://kbd.test/kbd-bad.css', (route) =>
        route.fulfill({ status: 200, contentType: 'text/css', body: BAD_FORM_CSS }),
      );
      await page.route('http://kbd.test/', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: BAD_FORM }),
      );
      const k = new Keyboard(page);
      await k.goto('http://kbd.test/');
      const { controls, missed, unseen } = await k.audit('button[type=submit]');
      t.equal(controls.length, 3, 'the form has three controls up to its button');
      t.same(missed, ['input#two[two]'], 'the field with tabindex=-1 is reported as unreachable');
      t.equal(unseen.length, 1, 'one element took focus invisibly');
      t.match(unseen[0], /^a /, 'the link without a focus style');
      await t.rejects(k.tabTo('#nowhere', 5), /never reached #nowhere/, 'a missing element is reported');
    });

    const callback = await startCallbackServer(t);
    const email = 'owner@keyboard-pay.example';
    const password = 'keyboard-secret-42';
    const owner = '정키보';
    let id = '';
    let reference = '';

    const applicant = new Keyboard((await newPerson(t, browser, baseUrl)).page);
    const a = applicant.page;

    await t.test('sign-up', async (t) => {
      await applicant.goto('/signup');
      await applicant.type('#organization_name', '키보드페이');
      await applicant.type('#name', owner);
      await applicant.type('#email', email);
      await applicant.type('#password', password);
      await applicant.type('#password_confirm', password);
      await applicant.submit(t, 'button[type=submit]');
      t.equal(new URL(a.url()).pathname, '/signup/check-email', 'the same "check your e-mail" answer for any address');
      const { url } = await takeSignupLink(app, email); // the link from the confirmation e-mail (the outbox)
      await applicant.goto(new URL(url).pathname);
      await applicant.submit(t, 'button[type=submit]');
      t.equal(new URL(a.url()).pathname, '/applications', 'the new account lands on its applications');
      await seeNotice(t, a, ko('accounts.signup.welcome', { name: owner }));
    });

    await t.test('starting an application', async (t) => {
      await applicant.submit(t, `main form[action="/applications"] button`);
      t.match(a.url(), /\/applications\/[0-9a-f-]{36}\/company$/, 'the company page opens');
      id = /\/applications\/([0-9a-f-]{36})\//.exec(a.url())![1]!;
      await seeNotice(t, a, ko('onboarding.home.created'));
    });

    await t.test('the five application pages', async (t) => {
      const c = VALID_ANSWERS.company;
      await applicant.type('#legal_name', c.legal_name);
      await applicant.choose('business_type', c.business_type);
      await applicant.type('#business_registration_number', c.business_registration_number);
      await applicant.type('#corporate_registration_number', c.corporate_registration_number);
      await applicant.type('#representative', c.representative);
      await applicant.type('#address', c.address);
      await applicant.type('#founded_on', c.founded_on);
      await applicant.type('#paid_in_capital', c.paid_in_capital);
      await applicant.type('#employees', c.employees);
      await applicant.choose('sanctions_history', c.sanctions_history);
      await applicant.choose('criminal_record', c.criminal_record);
      await applicant.submit(t, 'button[value=continue]');
      t.equal(await heading(a), ko('onboarding.sections.service.title'), 'company saved: the service page follows');

      const s = VALID_ANSWERS.service;
      await applicant.type('#service_name', s.service_name);
      await applicant.choose('service_kind', s.service_kind);
      await applicant.type('#description', s.description);
      await applicant.type('#launch_date', s.launch_date);
      await applicant.submit(t, 'button[value=continue]', 'Space');
      t.equal(await heading(a), ko('onboarding.sections.apis.title'), 'service saved: the API page follows');

      await applicant.tick('#apis');
      await applicant.type('#calls_balance', '100,000');
      await applicant.tick('#apis-withdraw');
      await applicant.type('#calls_withdraw', '50000');
      await applicant.tick('#apis-transfer_result');
      await applicant.type('#calls_transfer_result', '5,000');
      await applicant.choose('guarantee_kind', VALID_ANSWERS.apis.guarantee_kind);
      await applicant.type('#guarantee_amount', VALID_ANSWERS.apis.guarantee_amount);
      await applicant.submit(t, 'button[value=continue]');
      t.equal(await heading(a), ko('onboarding.sections.technical.title'), 'APIs saved: the technical page follows');

      await applicant.type('#callback_urls', `https://pay.keyboard.example/oauth/callback\n${callback.url}`);
      await applicant.type('#server_ips', '203.0.113.10\n198.51.100.0/24');
      await applicant.type('#security_staff_count', VALID_ANSWERS.technical.security_staff_count);
      await applicant.type('#ciso_name', VALID_ANSWERS.technical.ciso_name);
      await applicant.submit(t, 'button[value=continue]');
      t.equal(
        await heading(a),
        ko('onboarding.sections.contacts.title'),
        'technical details saved: the contacts page follows',
      );

      for (const [field, value] of Object.entries(VALID_ANSWERS.contacts)) await applicant.type(`#${field}`, value);
      await applicant.submit(t, 'button[value=continue]');
      t.equal(await heading(a), ko('onboarding.check.title'), 'contacts saved: check your answers follows');
      t.match(await a.locator('main').innerText(), callback.url, 'the typed callback URL is among the answers');
    });

    await t.test('the application documents, each chosen and uploaded with the keyboard', async (t) => {
      await applicant.goto(`/applications/${id}/documents`);
      for (const kind of REQUIRED_DOCUMENTS) {
        await applicant.file(`#file-${kind}`, pdf(`${kind}.pdf`));
        await applicant.submit(t, `#document-${kind} button[type=submit]`);
        await seeNotice(t, a, ko('onboarding.documents.uploaded', { filename: `${kind}.pdf`, version: 1 }));
      }
      await applicant.goto(`/applications/${id}/check`);
      t.equal(await heading(a), ko('onboarding.check.title'), 'back on check your answers');
    });

    await t.test('check your answers and submit', async (t) => {
      for (const d of ['accuracy', 'inquiry_consent', 'withdrawal_consent']) await applicant.tick(`#declare_${d}`);
      await applicant.submit(t, `form[action$="/submit"] button[type=submit]`, 'Space');
      t.equal(await heading(a), ko('onboarding.confirmation.title'), 'the confirmation page');
      reference = (await a.locator('.panel .reference').innerText()).trim();
      t.match(reference, /^OB-\d{4}-\d{6}$/, `the reference is shown (${reference})`);
    });

    // ---------------------------------------------------------------- the reviewer
    const reviewer = new Keyboard((await newPerson(t, browser, baseUrl)).page);
    const r = reviewer.page;
    const reviewUrl = `/staff/applications/${id}`;

    await t.test('sign-in, claiming from the queue, and a request for changes', async (t) => {
      await signIn(t, reviewer, 'reviewer@portal.example');
      t.equal(await heading(r), ko('workflow.queue.title'), 'the queue');
      await reviewer.submit(t, `form[action="${reviewUrl}/claim"] button`);
      t.equal(new URL(r.url()).pathname, reviewUrl, 'the review page opens');
      await seeNotice(t, r, ko('workflow.review.claimed'));

      await reviewer.tick('#section_service');
      await reviewer.type('#reason_request_changes', '서비스 설명에 결제 한도를 적어 주세요.');
      await reviewer.type('#internal_note_request_changes', '키보드로 입력한 내부 메모');
      await reviewer.submit(t, 'form.decision:has(input[name=event][value=request_changes]) button[type=submit]');
      await seeNotice(t, r, ko('workflow.review.decided.request_changes'));
    });

    await t.test('the suitability checklist and the approval', async (t) => {
      // The applicant resubmits (not the form under test here).
      const inj = await injectAs(app, email, password);
      t.equal(
        (
          await inj.post(`/applications/${id}/service`, {
            ...VALID_ANSWERS.service,
            description: `${VALID_ANSWERS.service.description} 1회 결제 한도는 200만 원입니다.`,
            action: 'continue',
          })
        ).statusCode,
        303,
      );
      t.equal(
        (
          await inj.post(
            `/applications/${id}/submit`,
            { declare_accuracy: 'yes', declare_inquiry_consent: 'yes', declare_withdrawal_consent: 'yes' },
            { formUrl: `/applications/${id}/check` },
          )
        ).statusCode,
        303,
        'the applicant resubmitted',
      );

      await claimIfOffered(t, reviewer, reviewUrl);
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
        await reviewer.choose(`result_${item}`, 'pass');
      }
      await reviewer.type('#note_capital', '납입자본금 5억 원 확인');
      await reviewer.submit(t, `form[action="${reviewUrl}/checklist"] button[type=submit]`);
      await seeNotice(t, r, ko('workflow.checklist.saved'));

      await reviewer.type('#reason_approve', '적합성 기준을 모두 충족합니다.');
      await reviewer.submit(t, 'form.decision:has(input[name=event][value=approve]) button[type=submit]', 'Space');
      await seeNotice(t, r, ko('workflow.review.decided.approve'));
    });

    // ---------------------------------------------------------------- sandbox, consent, testing
    let clientId = '';

    await t.test('sandbox: a new client secret and a new test user', async (t) => {
      await applicant.goto('/sandbox');
      clientId = (
        await a
          .locator('main dl.summary')
          .first()
          .locator('div', { hasText: ko('sandbox.credentials.client_id') })
          .locator('code')
          .innerText()
      ).trim();
      await applicant.type('#expires_in_days', '30');
      await applicant.submit(t, 'form[action="/sandbox/secrets"] button[type=submit]');
      t.ok((await a.locator('#new-client-secret').innerText()).trim().length >= 20, 'the new secret is shown once');

      await applicant.type('#name', '김키보');
      await applicant.type('#birth_date', '1991-03-04');
      await applicant.type('#login_id', 'kim.keyboard');
      await applicant.type('#password', 'pw1234');
      await applicant.type('#phone', '010-2222-3333');
      await applicant.submit(t, 'form[action="/sandbox/test-users"] button[type=submit]');
      t.match(await a.locator('[role=status]').first().innerText(), /김키보/, 'the test user was created');
      t.match(await a.locator('#people ~ .table-wrap').first().innerText(), 'kim.keyboard', 'and is listed');

      await applicant.type('#url', 'https://pay.keyboard.example/oauth/second');
      await applicant.submit(t, 'form[action="/sandbox/callbacks"] button[type=submit]');
      await seeNotice(t, a, ko('sandbox.callbacks.added'));

      await applicant.select('#user_seq_no', /^\d+$/);
      await applicant.select('#bank_code', /^\d{3}$/);
      await applicant.type('#account_num', '1234567890123');
      await applicant.type('#opening_balance', '1000000');
      await applicant.type('#product_name', '키보드 통장');
      await applicant.submit(t, 'form[action="/sandbox/test-accounts"] button[type=submit]');
      await seeNotice(t, a, ko('sandbox.people.account_opened', { account_num: '1234567890123' }));
    });

    await t.test('sandbox ledger: a top-up', async (t) => {
      await applicant.goto('/sandbox/ledger');
      await applicant.select('#account_id', /./);
      await applicant.type('#amount', '50,000');
      await applicant.submit(t, 'form[action="/sandbox/ledger/top-up"] button[type=submit]');
      t.match(await a.locator('[role=status]').first().innerText(), '50,000', 'the top-up is confirmed');
    });

    await t.test('an API token for the portal API', async (t) => {
      await applicant.goto('/account/tokens');
      await applicant.type('#name', '배포 스크립트');
      await applicant.submit(t, 'form[action="/account/tokens"] button[type=submit]');
      await seeNotice(t, a, ko('api.tokens.created', { name: '배포 스크립트' }));
    });

    await t.test('the test user consents on the authorization pages', async (t) => {
      const hong = new Keyboard((await newPerson(t, browser, baseUrl, { javaScriptEnabled: false })).page);
      await hong.goto(
        `/oauth/2.0/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: clientId,
          redirect_uri: callback.url,
          scope: 'login inquiry transfer',
          state: 'kbdState0123456789abcdefABCDEF01',
          auth_type: '0',
        })}`,
      );
      await hong.type('#login_id', 'hong');
      await hong.type('#password', 'test1234!');
      await hong.submit(t, 'form[action="/oauth/2.0/authorize/login"] button[type=submit]');
      t.equal(await heading(hong.page), ko('oauth.accounts.title'), 'the accounts page');
      await hong.submit(t, 'form[action="/oauth/2.0/authorize/accounts"] button[type=submit]');
      t.equal(await heading(hong.page), ko('oauth.consent.title'), 'the consent page');
      for (const agree of ['agree_service', 'agree_inquiry', 'agree_transfer']) await hong.tick(`#${agree}`);
      const ars = /(\d{2,})/.exec(await hong.page.locator('#ars_code-hint').innerText())![1]!;
      await hong.choose('transfer_method', 'ars');
      await hong.type('#ars_code', ars);
      await hong.submit(t, 'form[action="/oauth/2.0/authorize/consent"] button[type=submit]');
      t.ok(hong.page.url().startsWith(callback.url), 'the browser lands on the callback');
      t.match(
        new URL(hong.page.url()).searchParams.get('code') ?? '',
        /^[A-Za-z0-9]{20,}$/,
        'with an authorization code',
      );
    });

    await t.test('the stage 3 testing report', async (t) => {
      // The test-bed evidence (the scenarios' real calls are driven in test/e2e/journey.test.ts).
      await recordPassingEvidence(app, id);
      await applicant.goto(`/applications/${id}/testing`);
      const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
      await applicant.type('#period_start', today);
      await applicant.type('#period_end', today);
      for (const api of ['balance', 'withdraw', 'transfer_result'])
        await applicant.type(`#tested_${api}`, `${ko(`onboarding.apis.${api}.name`)} 정상·오류 응답을 확인했습니다.`);
      await applicant.type('#notes', '키보드로 작성했습니다.');
      await applicant.submit(t, `form[action="/applications/${id}/testing"] button[type=submit]`);
      await seeNotice(t, a, ko('workflow.testing.submitted'));
      // The reviewer's sign-off uses the decision form already driven above.
      const inj = await injectAs(app, 'reviewer2@portal.example'); // separation of duties: not the suitability approver
      t.equal(
        (
          await inj.post(
            `${reviewUrl}/decision`,
            { event: 'approve', reason: '시험 내용을 확인했습니다.' },
            { formUrl: reviewUrl },
          )
        ).statusCode,
        303,
        'the testing report is signed off',
      );
    });

    // ---------------------------------------------------------------- security inspection
    const inspector = new Keyboard((await newPerson(t, browser, baseUrl)).page);
    let findingId = '';

    await t.test('uploading the security documents and asking for the inspection', async (t) => {
      await applicant.goto(`/applications/${id}/security`);
      for (const kind of ['self_assessment', 'vulnerability_scan', 'penetration_test']) {
        await applicant.file(`#file-${kind}`, pdf(`${kind}.pdf`));
        await applicant.submit(t, `#document-${kind} button[type=submit]`);
        await seeNotice(t, a, ko('inspection.applicant.uploaded', { filename: `${kind}.pdf`, version: 1 }));
      }
      await applicant.submit(t, `form[action$="/security/submit"] button[type=submit]`);
      await seeNotice(t, a, ko('inspection.applicant.submitted'));
    });

    await t.test('the inspector records a finding', async (t) => {
      await signIn(t, inspector, 'inspector@portal.example');
      await claimIfOffered(t, inspector, reviewUrl);
      await inspector.goto(`${reviewUrl}/security`);
      await inspector.choose('severity', 'high');
      await inspector.type('#title', '관리자 페이지에 다중 인증이 없음');
      await inspector.type('#description', '관리자 로그인에 비밀번호만 사용합니다.');
      await inspector.submit(t, `form[action$="/security/findings"] button[type=submit]`);
      await seeNotice(t, inspector.page, ko('inspection.staff.finding_recorded'));
      findingId = (await inspector.page.locator('article.security-finding').first().getAttribute('id'))!.replace(
        'finding-',
        '',
      );
    });

    await t.test('the applicant sends a remediation with evidence', async (t) => {
      await applicant.goto(`/applications/${id}/security`);
      await applicant.type(`#remediation-${findingId}`, 'TOTP 2단계 인증을 적용했습니다.');
      await applicant.file(`#remediation-file-${findingId}`, pdf('mfa-evidence.pdf'));
      await applicant.submit(t, `form[action$="/findings/${findingId}/remediation"] button[type=submit]`);
      await seeNotice(t, a, ko('inspection.applicant.remediation_sent'));
    });

    await t.test('the inspector verifies the fix and approves', async (t) => {
      await inspector.goto(`${reviewUrl}/security`);
      await inspector.submit(t, `form[action$="/findings/${findingId}/verify"] button[type=submit]`);
      await seeNotice(t, inspector.page, ko('inspection.staff.finding_verified'));
      await inspector.type('#reason_approve', '발견사항이 조치되었습니다.');
      await inspector.submit(t, 'form.decision:has(input[name=decision][value=approve]) button[type=submit]');
      await seeNotice(t, inspector.page, ko('inspection.staff.decided_approve'));
    });

    // ---------------------------------------------------------------- contract
    await t.test('the owner signs the contract and the contract officer countersigns', async (t) => {
      await applicant.goto(`/applications/${id}/contract`);
      await applicant.type('#full_name', owner);
      await applicant.tick('#accept');
      await applicant.submit(t, `form[action$="/contract/sign"] button[type=submit]`);
      await seeNotice(t, a, ko('contract.applicant.signed'));

      const officer = new Keyboard((await newPerson(t, browser, baseUrl)).page);
      await signIn(t, officer, 'contract@portal.example');
      await claimIfOffered(t, officer, reviewUrl);
      await officer.goto(`${reviewUrl}/contract`);
      await officer.type('#note', '서명자와 계약 내용을 확인했습니다.');
      await officer.submit(t, `form[action$="/contract/countersign"] button[type=submit]`);
      await seeNotice(t, officer.page, ko('contract.staff.countersigned'));
      t.match(
        await a.reload().then(() => a.locator('.panel').innerText()),
        ko('contract.live_title'),
        'the service is live',
      );
    });

    // ---------------------------------------------------------------- the account page
    await t.test('changing the password, then inviting a colleague who joins', async (t) => {
      await applicant.goto('/account');
      await applicant.type('#current_password', password);
      await applicant.type('#new_password', 'keyboard-secret-43');
      await applicant.type('#new_password_confirm', 'keyboard-secret-43');
      await applicant.submit(t, 'form[action="/account/password"] button[type=submit]');
      await seeNotice(t, a, ko('accounts.account.password_changed'));

      await applicant.submit(t, 'form[action="/account/invites"] button[type=submit]');
      const inviteUrl = (await a.locator('[role=status] code.secret').innerText()).trim();
      t.match(inviteUrl, /\/invite\/[\w-]+$/, 'the invitation link is shown');

      const colleague = new Keyboard((await newPerson(t, browser, baseUrl)).page);
      await colleague.goto(inviteUrl);
      await colleague.type('#name', '오동료');
      await colleague.type('#email', 'colleague@keyboard-pay.example');
      await colleague.type('#password', 'colleague-secret-1');
      await colleague.type('#password_confirm', 'colleague-secret-1');
      await colleague.submit(t, 'main button[type=submit]');
      t.equal(new URL(colleague.page.url()).pathname, '/applications', 'the colleague joins and sees the applications');
      t.match(await colleague.page.locator('main').innerText(), reference, "with the organization's application");
    });

    await t.test('the queue filter, and an administrator creating a staff account', async (t) => {
      await reviewer.goto('/staff');
      const stage = await reviewer.select('#stage', /./); // the first stage of the reviewer's own
      await reviewer.submit(t, 'form.queue-filter button[type=submit]');
      t.equal(new URL(r.url()).searchParams.get('stage'), stage, 'the queue is filtered by the chosen stage');

      const admin = new Keyboard((await newPerson(t, browser, baseUrl)).page);
      await signIn(t, admin, 'admin@portal.example');
      await admin.goto('/admin/staff');
      await admin.type('#name', '윤직원');
      await admin.type('#email', 'new-staff@portal.example');
      await admin.select('#staff_role', 'reviewer');
      await admin.type('#password', 'staff-secret-123');
      await admin.submit(t, 'form[action="/admin/staff"] button[type=submit]');
      await seeNotice(t, admin.page, ko('accounts.admin.created'));
      t.match(
        await admin.page.locator('main').innerText(),
        'new-staff@portal.example',
        'the new staff account is listed',
      );
    });

    await t.test('focus was visible on links, buttons, fields and scrollable tables', async (t) => {
      const kinds = new Set([...applicant.kinds, ...reviewer.kinds, ...inspector.kinds]);
      for (const kind of ['link', 'button', 'field', 'table'])
        t.ok(kinds.has(kind), `Tab reached at least one ${kind}, and every focus was checked for visibility`);
      for (const p of [a, r, inspector.page]) t.same(problemsOn(p), [], 'no script or console errors');
    });
  });
