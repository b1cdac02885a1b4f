// The browser checks themselves must be able to fail: axe-core really runs under the portal's CSP (with
// and without JavaScript), sideways overflow is measured, a keyboard path that does not exist is reported.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import {
  browserTestsEnabled,
  horizontalOverflow,
  launchChromium,
  newPerson,
  PHONE,
  runAxe,
  seriousViolations,
  tabTo,
} from '../helpers/browser';

// A page with a known serious problem (an unlabelled input, colour contrast far too low), a 600 px wide
// box, and the portal's strict Content-Security-Policy.
const BAD_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bad page</title><link rel="stylesheet" href="/bad.css"></head>
<body><main><h1>Bad page</h1><form><input id="nolabel" name="x" type="text"><p class="faint">faint text</p><div class="wide">wide</div></form></main></body></html>`;
const BAD_CSS = '.faint{color:#eee;background:#fff}.wide{width:600px}';
// The same page without its problems (checked first, so that the bad page is not the checker's first page).
const GOOD_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Good page</title></head><body><main><h1>Good page</h1><p>Plain text.</p></main></body></html>`;

if (browserTestsEnabled(t))
  t.test('the browser checks find real problems', async (t) => {
    const server = http.createServer((req, res) => {
      if (req.url === '/bad.css') {
        res.writeHead(200, { 'content-type': 'text/css' });
        res.end(BAD_CSS);
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'",
      });
      res.end(req.url === '/good' ? GOOD_PAGE : BAD_PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const browser = await launchChromium(t);

    for (const javaScriptEnabled of [true, false]) {
      await t.test(
        `axe-core reports an unlabelled field and low contrast (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`,
        async (t) => {
          const { page } = await newPerson(t, browser, url, { javaScriptEnabled, viewport: PHONE });
          // A clean page checked first: a later check in the same checker still sees the new page's problems.
          await page.goto(`${url}good`);
          t.same(
            (await seriousViolations(page)).map((v) => v.id),
            [],
            'a page without problems has no violation',
          );
          await page.goto(url);
          const { rulesRun } = await runAxe(page);
          t.ok(rulesRun >= 20, `axe ran ${rulesRun} rules`);
          const ids = (await seriousViolations(page)).map((v) => v.id);
          t.ok(ids.includes('label'), 'the unlabelled input is a violation');
          t.ok(ids.includes('color-contrast'), 'low contrast is a violation (styles were loaded)');
          const o = await horizontalOverflow(page);
          t.ok(
            o.scrollWidth > o.innerWidth,
            `a 600 px box overflows a 375 px phone (${o.scrollWidth} > ${o.innerWidth})`,
          );
          t.ok(
            o.widest.some((w) => w.startsWith('div')),
            'the overflowing element is named',
          );
        },
      );
    }

    await t.test('a keyboard path to an element that does not exist is reported', async (t) => {
      const { page } = await newPerson(t, browser, url);
      await page.goto(url);
      await t.rejects(tabTo(page, '#nowhere', 5), /never reached #nowhere/);
    });
  });
