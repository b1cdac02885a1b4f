// In a real Chromium with JavaScript off: the authorize pages end in a redirect to the fintech's callback
// on another origin after a form POST, which CSP form-action must allow; the pages have no serious
// accessibility problems and work on a phone.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import {
  chromiumMissing,
  horizontalOverflow,
  launchChromium,
  newPerson,
  PHONE,
  problemsOn,
  seriousViolations,
  describeViolations,
  startApp,
} from '../../helpers/browser';
import { DEMO_SANDBOX } from '../../helpers/testbed';

const missing = chromiumMissing();
if (missing) throw new Error(missing);

// One app and one Chromium for the file (each test gets its own browser context, so its own cookies): starting
// them is most of this file's CPU. The tests do not depend on each other's data.
const shared = (async () => {
  const { app, baseUrl } = await startApp(t);
  return { app, baseUrl, browser: await launchChromium(t) };
})();

t.test(
  'a person connects accounts through the authorize pages in a browser without JavaScript and lands on the callback',
  async (t) => {
    const callback = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>callback</title></head><body><main><h1>callback</h1><p id="query">${new URL(req.url ?? '/', 'http://x').search.replace(/[<>&"]/g, '')}</p></main></body></html>`,
      );
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    t.teardown(
      () =>
        new Promise<void>((resolve) => {
          callback.closeAllConnections();
          callback.close(() => resolve());
        }),
    );
    const callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;

    const { app, baseUrl, browser } = await shared;
    await app.services.credentials.addCallbackUrl({ userId: null, label: 'test' }, DEMO_SANDBOX.organizationId, {
      url: callbackUrl,
    });
    const { page } = await newPerson(t, browser, baseUrl, { javaScriptEnabled: false, viewport: PHONE });

    const state = 'Zz0123456789abcdefghijklmnopqrst';
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: DEMO_SANDBOX.clientId,
      redirect_uri: callbackUrl,
      scope: 'login inquiry transfer',
      state,
      auth_type: '0',
      client_info: 'browser',
    });
    await page.goto(`/oauth/2.0/authorize?${q}`);
    t.equal(await page.locator('h1').textContent(), '본인인증');
    t.same(describeViolations(await seriousViolations(page)), '', 'sign-in page: no serious accessibility problems');
    const overflow = await horizontalOverflow(page);
    t.ok(overflow.scrollWidth <= overflow.innerWidth, 'no sideways scrolling on a phone');
    await page.fill('#login_id', 'hong');
    await page.fill('#password', 'test1234!');
    await page.click('button:has-text("인증하기")');
    t.equal(await page.locator('h1').textContent(), '연결할 계좌 선택');
    t.same(describeViolations(await seriousViolations(page)), '', 'accounts page: no serious accessibility problems');
    await page.click('button:has-text("계속")');
    t.equal(await page.locator('h1').textContent(), '동의');
    t.same(describeViolations(await seriousViolations(page)), '', 'consent page: no serious accessibility problems');
    const hint = (await page.locator('#ars_code-hint').textContent()) ?? '';
    const ars = /(\d{2})/.exec(hint)?.[1] ?? '';
    await page.check('#agree_service');
    await page.check('#agree_inquiry');
    await page.check('#agree_transfer');
    await page.fill('#ars_code', ars);
    await page.click('button:has-text("동의하고 연결하기")');
    await page.waitForURL((u) => u.toString().startsWith(callbackUrl));
    const landed = new URL(page.url());
    t.match(
      landed.searchParams.get('code'),
      /^[A-Za-z0-9]{30}$/,
      'the browser followed the redirect to the callback with a code',
    );
    t.equal(landed.searchParams.get('state'), state);
    t.equal(landed.searchParams.get('client_info'), 'browser');
    t.same(problemsOn(page), [], 'no CSP refusals or page errors on the way');
  },
);

t.test('the sandbox page has no serious accessibility problems and fits a phone', async (t) => {
  const { baseUrl, browser } = await shared;
  const { page } = await newPerson(t, browser, baseUrl, { javaScriptEnabled: false, viewport: PHONE });
  await page.goto('/login?next=/sandbox');
  await page.fill('#email', 'owner@demo-fintech.example');
  await page.fill('#password', 'demo-password-1');
  await page.click('main button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/sandbox');
  t.match(await page.locator('h1').textContent(), /샌드박스/);
  t.same(describeViolations(await seriousViolations(page)), '', 'no serious accessibility problems');
  const overflow = await horizontalOverflow(page);
  t.ok(overflow.scrollWidth <= overflow.innerWidth, `no sideways scrolling on a phone (${overflow.widest.join(', ')})`);
  await page.click('button:has-text("새 Client Secret 만들기")');
  const secret = await page.locator('#new-client-secret').textContent();
  t.match(secret, /^[0-9a-f-]{36}$/, 'the new secret is shown once');
  t.same(problemsOn(page), []);
});
