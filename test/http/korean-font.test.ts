// The Korean web font: self-hosted, cached a year under a versioned URL, only its own files served, and a
// Korean page needs only a small part of it (the unicode-range subsets that hold the page's characters).
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { build, Browser } from '../helpers/build';
import { KOREAN_FONT_CSS, KOREAN_FONT_DIR, KOREAN_FONT_PREFIX } from '../../src/http/korean-font';

/** Budget: the font files one Korean page needs, in bytes. */
const PAGE_FONT_BUDGET = 560 * 1024; // /docs, the page with the most different characters, needs about 500 KB

interface Face {
  file: string;
  ranges: [number, number][];
}
function faces(css: string): Face[] {
  return [...css.matchAll(/url\(\.\/([^)]+\.woff2)\)[^;]*;\s*unicode-range:\s*([^;]+);/g)].map((m) => ({
    file: m[1]!,
    ranges: m[2]!.split(',').map((r) => {
      const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
      return [parseInt(a!, 16), parseInt(b ?? a!, 16)] as [number, number];
    }),
  }));
}

/** The text a page shows (tags, scripts and styles removed, entities left as they are: they are ASCII). */
function visibleText(html: string): string {
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ');
}

t.test('every page links the self-hosted Korean font, cached for a year as immutable', async (t) => {
  const app = await build(t);
  const home = await app.inject({ url: '/' });
  t.match(home.body, `<link rel="stylesheet" href="${KOREAN_FONT_CSS}">`);
  t.match(KOREAN_FONT_PREFIX, /^\/fonts\/pretendard-\d+\.\d+\.\d+\/$/, 'the URL carries the package version');
  const css = await app.inject({ url: KOREAN_FONT_CSS });
  t.equal(css.statusCode, 200);
  t.match(css.headers['content-type'], /text\/css/);
  t.match(css.headers['cache-control'], /max-age=31536000/);
  t.match(css.headers['cache-control'], /immutable/);
  const first = faces(css.body)[0]!;
  const font = await app.inject({ url: `${KOREAN_FONT_PREFIX}${first.file}` });
  t.equal(font.statusCode, 200, 'a subset file is served');
  t.equal(font.headers['content-type'], 'font/woff2');
  t.match(font.headers['cache-control'], /immutable/);
  t.match(home.headers['content-security-policy'], /font-src 'self'/, 'from our own origin: the CSP is unchanged');
});

t.test("only the font's stylesheet and subset files are served, nothing else from the package", async (t) => {
  const app = await build(t);
  for (const url of [
    `${KOREAN_FONT_PREFIX}woff2/PretendardVariable.woff2`,
    `${KOREAN_FONT_PREFIX}pretendardvariable.css`,
    `${KOREAN_FONT_PREFIX}`,
    `${KOREAN_FONT_PREFIX}woff2-dynamic-subset/`,
    `${KOREAN_FONT_PREFIX}../../../package.json`,
    `${KOREAN_FONT_PREFIX}%2e%2e/%2e%2e/%2e%2e/package.json`,
  ]) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 404, url);
  }
});

t.test(`a Korean page needs at most ${PAGE_FONT_BUDGET / 1024} KB of font files`, async (t) => {
  const app = await build(t, { demo: true });
  const all = faces(fs.readFileSync(`${KOREAN_FONT_DIR}/pretendardvariable-dynamic-subset.css`, 'utf8'));
  t.ok(all.length > 50, `${all.length} subsets`);
  const size = (file: string) => fs.statSync(path.join(KOREAN_FONT_DIR, file)).size;
  const b = new Browser(app);
  const login = await b.post(
    '/login',
    { email: 'owner@demo-fintech.example', password: 'demo-password-1' },
    { formUrl: '/login' },
  );
  t.equal(login.statusCode, 303);
  const figures: string[] = [];
  for (const url of ['/login', '/sandbox', '/sandbox/requests', '/docs']) {
    const page = url === '/login' ? await app.inject({ url }) : await b.get(url);
    t.equal(page.statusCode, 200, url);
    const chars = new Set([...visibleText(page.body)].map((c) => c.codePointAt(0)!));
    const needed = all.filter((f) => f.ranges.some(([a, z]) => [...chars].some((c) => c >= a && c <= z)));
    const bytes = needed.reduce((sum, f) => sum + size(f.file), 0);
    figures.push(`${url} ${needed.length} files ${Math.round(bytes / 1024)} KB`);
    t.ok(
      bytes <= PAGE_FONT_BUDGET,
      `${url}: ${needed.length} of ${all.length} subset files, ${Math.round(bytes / 1024)} KB`,
    );
  }
  console.log(`# Korean font per page: ${figures.join('; ')}`);
});
