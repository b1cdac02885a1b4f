// The forms keyboard.test.ts leaves out, used with the keyboard alone: each control and the button are
// reached with Tab, values are typed, the form is sent with Enter or Space, and the page the person lands
// on is checked (the rejected application, the contract sent back, the reopened finding, the revoked
// secret, the removed callback URL, the revoked credential set, the admin's issue and SA forms, and the
// cancel buttons of the three authorization pages landing on the callback with error=access_denied).
// Every element that takes focus on the way must show it. Preconditions go through the app itself.
import t from 'tap';
import { claimIfOffered, Keyboard, signIn } from '../helpers/keyboard';
import { submittedApplication } from '../helpers/onboarding';
import { applicationInContract, stateOf, submittedForInspection } from '../helpers/security-stage';
import { STAFF_PASSWORD } from '../helpers/workflow';
import { postMultipart } from '../helpers/multipart';
import { Browser as InjectBrowser } from '../helpers/build';
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
import { DEMO_IDS, DEMO_ORGS } from '../../src/demo-accounts';
import { DEMO_SANDBOX } from '../../src/testbed/users/demo-fixtures';

// About a minute on an idle 2-core machine; the margin is for a machine busy with other work.
t.setTimeout(300_000);

const ko = (key: string, params?: Record<string, unknown>) => message('ko', key, params);

if (browserTestsEnabled(t))
  t.test('the remaining forms with the keyboard alone', async (t) => {
    const { app, baseUrl } = await startApp(t);
    const browser = await launchChromium(t);
    const callback = await startCallbackServer(t);
    const keyboards: Keyboard[] = [];

    async function person(): Promise<Keyboard> {
      const k = new Keyboard((await newPerson(t, browser, baseUrl)).page);
      keyboards.push(k);
      return k;
    }

    await t.test('a reviewer rejects an application at suitability', async (t) => {
      const { id } = await submittedApplication(app, 'owner@kbd-reject.example');
      const reviewUrl = `/staff/applications/${id}`;
      const reviewer = await person();
      await signIn(t, reviewer, 'reviewer@portal.example');
      await claimIfOffered(t, reviewer, reviewUrl);
      await reviewer.type('#reason_reject', '전자금융업 등록 요건을 충족하지 못합니다.');
      await reviewer.type('#internal_note_reject', '키보드로 입력한 반려 메모');
      await reviewer.submit(t, 'form.decision:has(input[name=event][value=reject]) button[type=submit]', 'Space');
      await seeNotice(t, reviewer.page, ko('workflow.review.decided.reject'));
      t.equal(new URL(reviewer.page.url()).pathname, reviewUrl, 'the review page comes back');
      t.equal(await reviewer.page.locator('form.decision').count(), 0, 'no decision can be made any more');
      t.equal(await stateOf(app, id), 'suitability:rejected', 'the application is rejected');
    });

    await t.test('the contract officer sends a signed contract back', async (t) => {
      const c = await applicationInContract(app, { email: 'owner@kbd-contract.example' });
      const sign = await c.browser.post(
        `/applications/${c.id}/contract/sign`,
        { full_name: '김테스트', accept: 'yes' },
        { formUrl: `/applications/${c.id}/contract` },
      );
      t.equal(sign.statusCode, 303, 'the owner signed (not the form under test)');
      const reviewUrl = `/staff/applications/${c.id}`;
      const officer = await person();
      await signIn(t, officer, 'contract@portal.example');
      await claimIfOffered(t, officer, reviewUrl);
      await officer.goto(`${reviewUrl}/contract`);
      await officer.type('#reason', '서명자 성명이 등기부와 다릅니다. 다시 서명해 주세요.');
      await officer.submit(t, 'form[action$="/contract/request-changes"] button[type=submit]');
      await seeNotice(t, officer.page, ko('contract.staff.sent_back'));
      t.equal(
        await officer.page.locator('form[action$="/contract/countersign"]').count(),
        0,
        'the countersignature form is gone',
      );
      t.match(
        await officer.page.locator('main').innerText(),
        ko('contract.contract_statuses.returned'),
        'the contract shows it was returned',
      );
    });

    await t.test('the inspector reopens a finding and asks for changes', async (t) => {
      const s = await submittedForInspection(app);
      const title = 'TLS 1.0이 허용됨';
      t.equal(
        (await s.record({ severity: 'medium', title, description: '구버전 TLS를 끄세요.' })).statusCode,
        303,
        'a finding was recorded',
      );
      const findingId = await s.findingId(title);
      const applicantPage = `/applications/${s.id}/security`;
      const sent = await postMultipart(
        s.browser,
        `${applicantPage}/findings/${findingId}/remediation`,
        { text: 'TLS 1.2 이상만 허용했습니다.' },
        [],
        { formUrl: applicantPage },
      );
      t.equal(sent.statusCode, 303, 'the applicant answered it (not the form under test)');

      const inspector = await person();
      await signIn(t, inspector, 'inspector@staff.example', STAFF_PASSWORD);
      await claimIfOffered(t, inspector, `/staff/applications/${s.id}`);
      await inspector.goto(s.staffPage);
      await inspector.type(`#note-${findingId}`, '서버 하나에서 아직 TLS 1.0이 응답합니다.');
      await inspector.submit(t, `form[action$="/findings/${findingId}/reopen"] button[type=submit]`);
      await seeNotice(t, inspector.page, ko('inspection.staff.finding_reopened'));
      t.match(
        await inspector.page.locator(`#finding-${findingId} h3`).innerText(),
        ko('inspection.finding_statuses.open'),
        'the finding is open again',
      );

      await inspector.tick('form.decision #sections input[type=checkbox]');
      await inspector.type('#reason_request_changes', '재조치 후 취약점 점검 결과를 다시 올려 주세요.');
      await inspector.submit(
        t,
        'form.decision:has(input[name=decision][value=request_changes]) button[type=submit]',
        'Space',
      );
      await seeNotice(t, inspector.page, ko('inspection.staff.decided_request_changes'));
      t.equal(await stateOf(app, s.id), 'security:changes_requested', 'the inspection is sent back to the applicant');
    });

    await t.test('cancelling on each authorization page returns to the callback with access_denied', async (t) => {
      const owner = new InjectBrowser(app);
      await owner.login(DEMO_ORGS.demoFintech.owner, 'demo-password-1');
      t.equal(
        (await owner.post('/sandbox/callbacks', { url: callback.url }, { formUrl: '/sandbox' })).statusCode,
        303,
        'the callback server is registered',
      );

      for (const at of ['login', 'accounts', 'consent'] as const) {
        const hong = await person();
        const state = `kbdCancel${at}`.padEnd(32, '0');
        await hong.goto(
          `/oauth/2.0/authorize?${new URLSearchParams({
            response_type: 'code',
            client_id: DEMO_SANDBOX.clientId,
            redirect_uri: callback.url,
            scope: 'login inquiry transfer',
            state,
            auth_type: '0',
          })}`,
        );
        if (at !== 'login') {
          await hong.type('#login_id', 'hong');
          await hong.type('#password', 'test1234!');
          await hong.submit(t, 'form[action="/oauth/2.0/authorize/login"] button[type=submit]');
        }
        if (at === 'consent') await hong.submit(t, 'form[action="/oauth/2.0/authorize/accounts"] button[type=submit]');
        t.equal((await hong.page.locator('h1').first().innerText()).trim(), ko(`oauth.${at}.title`), `the ${at} page`);
        await hong.submit(t, 'form[action$="/cancel"] button[type=submit]', at === 'accounts' ? 'Space' : 'Enter');
        const landed = new URL(hong.page.url());
        t.equal(`${landed.origin}${landed.pathname}`, callback.url, `cancel on the ${at} page lands on the callback`);
        t.equal(landed.searchParams.get('error'), 'access_denied', 'with error=access_denied');
        t.equal(landed.searchParams.get('state'), state, 'and the state sent');
        t.equal(landed.searchParams.get('code'), null, 'and no code');
      }
    });

    await t.test('the owner revokes a secret, removes a callback URL and revokes the credential set', async (t) => {
      const owner = await person();
      const a = owner.page;
      await signIn(t, owner, DEMO_ORGS.demoFintech.owner);
      await owner.goto('/sandbox');
      await owner.submit(t, 'form[action^="/sandbox/secrets/"][action$="/revoke"] button[type=submit]');
      await seeNotice(t, a, ko('sandbox.secrets.revoked'));
      t.equal(
        await a.locator('#secrets ~ .table-wrap .tag', { hasText: ko('sandbox.secrets.revoked_tag') }).count(),
        1,
        'the secret is tagged revoked',
      );

      const remove = await a
        .locator('li', { hasText: DEMO_SANDBOX.callbackUrl })
        .locator('form')
        .getAttribute('action');
      await owner.submit(t, `form[action="${remove}"] button[type=submit]`, 'Space');
      await seeNotice(t, a, ko('sandbox.callbacks.removed'));
      t.equal(await a.locator('li', { hasText: DEMO_SANDBOX.callbackUrl }).count(), 0, 'the URL is no longer listed');
      t.equal(await a.locator('li', { hasText: callback.url }).count(), 1, 'the other URL stays');

      await owner.tick('#confirm');
      await owner.submit(t, 'form[action="/sandbox/revoke"] button[type=submit]');
      await seeNotice(t, a, ko('sandbox.credentials.set_revoked'));
      t.match(
        await a.locator('main').innerText(),
        ko('sandbox.credentials.not_issued'),
        'the page says no credentials are issued',
      );
    });

    await t.test('an administrator issues new credentials and allows the sa scope', async (t) => {
      const admin = await person();
      const p = admin.page;
      await signIn(t, admin, 'admin@portal.example');
      await admin.goto('/admin/sandbox');
      const row = p.locator('tr', { hasText: DEMO_ORGS.demoFintech.name });
      t.match(await row.innerText(), ko('sandbox.admin.revoked'), 'the revoked set is shown');
      await admin.submit(t, `form[action="/admin/sandbox/${DEMO_IDS.demoFintechOrg}/issue"] button[type=submit]`);
      const issued = (await p.locator('[role=status]').first().innerText()).trim();
      t.match(issued, DEMO_ORGS.demoFintech.name, 'the page says credentials were issued to the organization');
      const code = /M\d{9}/.exec(issued)?.[0] ?? '';
      t.match(code, /^M\d{9}$/, `with a client use code (${code})`);
      t.match(await row.locator('code').innerText(), code, 'the row shows the new code');

      await admin.submit(t, `form[action="/admin/sandbox/${DEMO_IDS.demoFintechOrg}/sa"] button[type=submit]`, 'Space');
      await seeNotice(t, p, ko('sandbox.admin.sa_allowed'));
      t.match(
        await row.locator('.tag').first().innerText(),
        ko('sandbox.admin.sa_on'),
        'the sa scope is shown as allowed',
      );
    });

    await t.test('focus was visible, and no page had script errors', async (t) => {
      const kinds = new Set(keyboards.flatMap((k) => [...k.kinds]));
      for (const kind of ['link', 'button', 'field'])
        t.ok(kinds.has(kind), `Tab reached at least one ${kind}, and every focus was checked for visibility`);
      for (const k of keyboards) t.same(problemsOn(k.page), [], 'no script or console errors');
    });
  });
