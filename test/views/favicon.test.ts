// The portal has an icon: every page links it, it is served, and /favicon.ico (asked for by browsers and
// tools that ignore the link) leads to it instead of a 404.
import t from 'tap';
import { build } from '../helpers/build';

t.test('every page links the icon, which is served, and /favicon.ico leads to it', async (t) => {
  const app = await build(t);
  const home = await app.inject({ method: 'GET', url: '/' });
  t.match(
    home.body,
    /<link rel="icon" href="\/public\/favicon\.svg" type="image\/svg\+xml">/,
    'the layout links the icon',
  );
  const icon = await app.inject({ method: 'GET', url: '/public/favicon.svg' });
  t.equal(icon.statusCode, 200, 'the icon is served');
  t.match(String(icon.headers['content-type']), /^image\/svg\+xml/, 'as SVG');
  t.match(icon.body, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, 'and it is an SVG image');
  const ico = await app.inject({ method: 'GET', url: '/favicon.ico' });
  t.equal(ico.statusCode, 301, '/favicon.ico redirects');
  t.equal(ico.headers.location, '/public/favicon.svg', 'to the icon');
});
