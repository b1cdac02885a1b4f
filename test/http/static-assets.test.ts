import crypto from 'node:crypto';
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
