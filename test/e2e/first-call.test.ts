// Issue 11, "first call in five minutes": a developer of 데모핀테크 goes from the sandbox page through the
// authorize pages to the portal's callback catcher, exchanges the code, and makes a balance inquiry and a
// withdrawal in the API console — in the real browser, counting every action (navigation, click, fill,
// check), each page axe-clean and without sideways scrolling at 375 px and 1280 px.
import t from 'tap';
import type { Page } from 'playwright-core';
import {
  browserTestsEnabled,
  DESKTOP,
  launchChromium,
  message,
  newPerson,
  PHONE,
  see,
  signIn,
  startApp,
} from '../helpers/browser';

t.setTimeout(240_000);
const ko = (key: string, params?: Record<string, unknown>) => message('ko', key, params);
const MAX_ACTIONS = 25;

if (browserTestsEnabled(t))
  t.test('first call in five minutes: sandbox page → authorize pages → callback catcher → console', async (t) => {
    const { baseUrl } = await startApp(t);
    const browser = await launchChromium(t);
    const { page } = await newPerson(t, browser, baseUrl);
    let actions = 0;
    const act = async <T>(fn: () => Promise<T>): Promise<T> => {
      actions += 1;
      return fn();
    };
    /** Checked at both widths: heading, axe (serious/critical), no sideways scrolling, no script error. */
    const seeBoth = async (p: Page, name: string, heading: string | RegExp) => {
      await p.setViewportSize(PHONE);
      await see(t, p, `${name}-phone`, heading);
      await p.setViewportSize(DESKTOP);
      await see(t, p, `${name}-desktop`, heading);
    };
    const started = Date.now();

    await signIn(t, page, 'owner@demo-fintech.example', 'first-call-00-login');
    actions += 4; // goto, fill e-mail, fill password, click
    await act(() => page.goto('/sandbox'));
    await seeBoth(page, 'first-call-01-sandbox', ko('sandbox.title'));
    t.ok(await page.locator('#first-call').isVisible(), 'the first-call panel is on the page');
    t.ok((await page.locator('.copy-button').count()) >= 5, 'copy buttons are added by public/copy.js');

    // This instance's BASE_URL differs from the demo seed's: one click registers the catcher.
    if ((await page.locator('#first-call-authorize').count()) === 0) {
      await act(() => page.getByRole('button', { name: ko('sandbox.first.register_catcher') }).click());
      await page.waitForSelector('#first-call-authorize');
    }
    await act(() => page.locator('form[action="/sandbox/secrets"] button[type=submit]').click());
    await page.waitForSelector('#new-client-secret');
    const secret = (await page.locator('#new-client-secret').innerText()).trim();
    t.match(secret, /^[0-9a-f-]{36}$/, 'a secret is shown once');
    t.match(await page.locator('#first-call pre').first().innerText(), secret, 'and the first-call snippets carry it');
    await seeBoth(page, 'first-call-02-secret-created', ko('sandbox.title'));

    await act(() => page.locator('#first-call-authorize').click());
    await page.waitForURL('**/oauth/2.0/authorize**');
    await seeBoth(page, 'first-call-03-oauth-login', ko('oauth.login.title'));
    await act(() => page.getByLabel(ko('oauth.login.login_id')).fill('hong'));
    await act(() => page.getByLabel(ko('oauth.login.password'), { exact: true }).fill('test1234!'));
    await act(() => page.getByRole('button', { name: ko('oauth.login.submit') }).click());
    await page.waitForURL('**/oauth/2.0/authorize/accounts');
    await act(() => page.getByRole('button', { name: ko('oauth.continue') }).click());
    await page.waitForURL('**/oauth/2.0/authorize/consent');
    for (const id of ['agree_service', 'agree_inquiry', 'agree_transfer']) await act(() => page.check(`#${id}`));
    const arsCode = /(\d{2,})/.exec(await page.locator('#ars_code-hint').innerText())?.[1] ?? '';
    await act(() => page.getByLabel(ko('oauth.consent.ars_label')).fill(arsCode));
    await act(() => page.getByRole('button', { name: ko('oauth.consent.allow') }).click());

    await page.waitForURL('**/sandbox/callback?**');
    await seeBoth(page, 'first-call-04-callback-catcher', ko('sandbox.catcher.title'));
    t.match(await page.locator('#caught-code').innerText(), /^[A-Za-z0-9]{20,}$/, 'the catcher shows the code');
    t.match(await page.locator('main').innerText(), ko('sandbox.catcher.state_ok'), 'and says the state checked out');
    await act(() => page.getByLabel(ko('sandbox.catcher.secret')).fill(secret));
    await act(() => page.getByRole('button', { name: ko('sandbox.catcher.exchange') }).click());
    await page.waitForSelector('#token-answer');
    await seeBoth(page, 'first-call-05-token', ko('sandbox.catcher.title'));
    t.match(
      await page.locator('main').innerText(),
      ko('sandbox.catcher.exchanged', { user_seq_no: '1100000001' }),
      'the user token is kept for the console',
    );

    await act(() => page.getByRole('link', { name: ko('sandbox.catcher.to_console') }).click());
    await page.waitForURL('**/sandbox/console?api=balance');
    await act(() => page.getByRole('button', { name: ko('sandbox.console.send') }).click());
    await page.waitForSelector('#console-result');
    await seeBoth(page, 'first-call-06-console-balance', ko('sandbox.console.title'));
    t.match(await page.locator('#console-result').innerText(), /"rsp_code": "A0000"/, 'the balance inquiry succeeds');

    await act(() => page.locator('.console-apis').getByRole('link', { name: '출금이체', exact: true }).click());
    await page.waitForURL('**/sandbox/console?api=withdraw');
    await act(() => page.getByRole('button', { name: ko('sandbox.console.send') }).click());
    await page.waitForSelector('#console-result');
    t.match(await page.locator('#console-result').innerText(), /"rsp_code": "A0000"/, 'the withdrawal succeeds');
    await seeBoth(page, 'first-call-07-console-withdraw', ko('sandbox.console.title'));

    const seconds = (Date.now() - started) / 1000;
    t.ok(
      actions < MAX_ACTIONS,
      `${actions} actions (fewer than ${MAX_ACTIONS}) from sign-in to a successful withdrawal`,
    );
    t.comment(
      `first call: ${actions} actions, ${seconds.toFixed(1)} s wall time (including the accessibility checks and screenshots)`,
    );
  });
