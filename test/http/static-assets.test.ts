import crypto from 'node:crypto';
import zlib from 'node:zlib';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { build } from '../helpers/build';
import { publicDir } from '../../src/paths';
import { IMMUTABLE, loadAssetManifest } from '../../src/http/static-assets';

const sha12 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex').slice(0, 12);

t.test(
  'in production, pages link content-hashed asset names, served with immutable cache headers; the plain names still answer',
  async (t) => {
    const app = await build(t, { config: { env: 'production' } });
    const page = await app.inject({ url: '/login' });
    t.equal(page.statusCode, 200);
    const css = fs.readFileSync(path.join(publicDir, 'app.css'));
    const cssUrl = `/public/app.${sha12(css)}.css`;
    t.match(page.body, `<link rel="stylesheet" href="${cssUrl}">`, 'the stylesheet by its content hash');
    const icon = fs.readFileSync(path.join(publicDir, 'favicon.svg'));
    t.match(page.body, `href="/public/favicon.${sha12(icon)}.svg"`, 'the icon too');
    t.notMatch(page.body, 'href="/public/app.css"', 'not the plain name');

    const hashed = await app.inject({ url: cssUrl });
    t.equal(hashed.statusCode, 200);
    t.equal(hashed.headers['cache-control'], IMMUTABLE, 'cached for a year, never revalidated');
    t.equal(IMMUTABLE, 'public, max-age=31536000, immutable');
    t.match(hashed.headers['content-type'], /^text\/css/);
    t.equal(hashed.headers['x-content-type-options'], 'nosniff', 'with the security headers');
    t.notOk(hashed.headers['set-cookie'], 'and no session');
    t.same(hashed.rawPayload, css, 'the very bytes the name was computed from');
    const js = fs.readFileSync(path.join(publicDir, 'copy.js'));
    const script = await app.inject({ url: `/public/copy.${sha12(js)}.js` });
    t.equal(script.statusCode, 200);
    t.match(script.headers['content-type'], /^text\/javascript/);
    t.equal(script.headers['cache-control'], IMMUTABLE);

    const plain = await app.inject({ url: '/public/app.css' });
    t.equal(plain.statusCode, 200, 'the plain name still answers');
    t.equal(plain.headers['cache-control'], 'public, max-age=86400', 'with a short cache');
    t.same(plain.rawPayload, css);

    const stale = await app.inject({ url: '/public/app.000000000000.css' });
    t.equal(stale.statusCode, 404, 'a name with another hash is not found');
  },
);

t.test(
  'a hashed text asset goes in the coding the browser prefers (brotli, gzip), compressed once, the same bytes inside',
  async (t) => {
    const app = await build(t, { config: { env: 'production' } });
    const css = fs.readFileSync(path.join(publicDir, 'app.css'));
    const url = `/public/app.${sha12(css)}.css`;
    const get = (acceptEncoding?: string) =>
      app.inject({ url, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

    const br = await get('gzip, deflate, br, zstd');
    t.equal(br.headers['content-encoding'], 'br', 'what Chromium sends: brotli');
    t.ok(zlib.brotliDecompressSync(br.rawPayload).equals(css), 'inflates to the very bytes the name was made from');
    t.ok(br.rawPayload.length * 3 < css.length, `${br.rawPayload.length} bytes for ${css.length}`);
    t.equal(Number(br.headers['content-length']), br.rawPayload.length);
    t.match(String(br.headers.vary), /accept-encoding/i, 'caches are told the answer varies');
    t.equal(br.headers['cache-control'], IMMUTABLE, 'still immutable');

    const gzip = await get('gzip');
    t.equal(gzip.headers['content-encoding'], 'gzip', 'a client without brotli: gzip');
    t.ok(zlib.gunzipSync(gzip.rawPayload).equals(css));
    const preferred = await get('br;q=0.5, gzip;q=0.9');
    t.equal(preferred.headers['content-encoding'], 'gzip', 'the client’s q-values decide');

    for (const [header, why] of [
      [undefined, 'no Accept-Encoding'],
      ['identity', 'identity asked for'],
      ['gzip;q=0, br;q=0', 'both refused'],
      ['zstd', 'only a coding not made here'],
      [`br, ${'x'.repeat(300)}`, 'a header longer than any browser sends'],
    ] as const) {
      const res = await get(header);
      t.equal(res.headers['content-encoding'], undefined, `${why}: as it is`);
      t.ok(res.rawPayload.equals(css), `${why}: the plain bytes`);
    }

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assets-'));
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'tiny.css'), 'a{color:red}');
    fs.writeFileSync(path.join(dir, 'noise.js'), crypto.randomBytes(4_000));
    fs.writeFileSync(path.join(dir, 'logo.png'), crypto.randomBytes(4_000));
    fs.writeFileSync(path.join(dir, 'site.css'), 'main { margin: 0 auto; }\n'.repeat(200));
    const encoded = Object.fromEntries(
      loadAssetManifest(dir, { hashed: true }).files.map((f) => [f.name, Object.keys(f.encoded).sort()]),
    );
    t.same(encoded['tiny.css'], [], 'a file too small to gain goes as it is');
    t.same(encoded['logo.png'], [], 'an image format is not compressed again');
    t.same(encoded['site.css'], ['br', 'gzip'], 'a text file in both codings');
    t.notOk(encoded['noise.js']?.includes('gzip'), 'a coding that would not make a file smaller is not offered');
  },
);

t.test('in development, pages link the plain names, which are not cached', async (t) => {
  const app = await build(t);
  const page = await app.inject({ url: '/login' });
  t.match(page.body, '<link rel="stylesheet" href="/public/app.css">');
  t.match(page.body, 'href="/public/favicon.svg"');
  const plain = await app.inject({ url: '/public/app.css' });
  t.equal(plain.statusCode, 200);
  t.equal(plain.headers['cache-control'], 'public, max-age=0', 'revalidated on every load: an edit shows on reload');
});

t.test('an asset’s name follows its content, and a template naming a missing asset fails loudly', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assets-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'img'));
  fs.writeFileSync(path.join(dir, 'site.css'), 'body{}');
  fs.writeFileSync(path.join(dir, 'img', 'logo.svg'), '<svg/>');
  const first = loadAssetManifest(dir, { hashed: true });
  const url = first.url('site.css');
  t.match(url, /^\/public\/site\.[0-9a-f]{12}\.css$/);
  t.match(first.url('img/logo.svg'), /^\/public\/img\/logo\.[0-9a-f]{12}\.svg$/, 'files in folders too');
  t.equal(loadAssetManifest(dir, { hashed: true }).url('site.css'), url, 'the same content, the same name');
  fs.writeFileSync(path.join(dir, 'site.css'), 'body{color:red}');
  t.not(loadAssetManifest(dir, { hashed: true }).url('site.css'), url, 'new content, a new name');
  t.equal(loadAssetManifest(dir, { hashed: false }).url('site.css'), '/public/site.css', 'development: the plain name');
  t.throws(() => first.url('missing.css'), /no static asset public\/missing\.css/);
});
