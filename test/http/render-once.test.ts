import Handlebars from 'handlebars';
import t from 'tap';
import { build, Browser } from '../helpers/build';

// Counts what the app's handlebars environment compiles and how often the /docs body template runs, by
// wrapping Handlebars.create (src/http/views.ts makes its environment with it when the app is built).
const seen = { compiles: 0, docsBodyRenders: 0 };
const create = Handlebars.create.bind(Handlebars);
Handlebars.create = () => {
  const env = create();
  const compile = env.compile.bind(env);
  env.compile = ((source: string, options?: CompileOptions) => {
    seen.compiles++;
    const template = compile(source, options);
    // The docs body is the only template with the scenario table's label.
    if (typeof source === 'string' && source.includes('labelId="scenarios"'))
      return ((context: unknown, opts?: Handlebars.RuntimeOptions) => {
        seen.docsBodyRenders++;
        return template(context, opts);
      }) as HandlebarsTemplateDelegate;
    return template;
  }) as typeof env.compile;
  return env;
};
type CompileOptions = Parameters<typeof Handlebars.compile>[1];

t.test('in production every template is compiled once: later renders compile nothing', async (t) => {
  const app = await build(t, { config: { env: 'production' } });
  for (const url of ['/login', '/signup', '/docs', '/no-such-page']) await app.inject({ url });
  const before = seen.compiles;
  for (const url of ['/login', '/signup', '/docs', '/no-such-page', '/login?lang=en']) {
    const res = await app.inject({ url });
    t.ok(res.statusCode === 200 || res.statusCode === 404, `${url} renders`);
  }
  t.equal(seen.compiles, before, 'no compile after the first render of each page');
});

t.test('in development a template is read and compiled again on every render (an edit shows on reload)', async (t) => {
  const app = await build(t, { config: { env: 'development' } });
  await app.inject({ url: '/login' });
  const before = seen.compiles;
  await app.inject({ url: '/login' });
  t.ok(seen.compiles > before, 'compiled again');
});

t.test(
  'the /docs body is rendered once per language and shared by every visitor; the header stays each visitor’s own',
  async (t) => {
    const app = await build(t, { demo: true });
    const reviewer = new Browser(app);
    await reviewer.login('reviewer@portal.example');
    const owner = new Browser(app);
    await owner.login('owner@demo-fintech.example');
    const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    const header = (html: string) => html.slice(html.indexOf('<header'), html.indexOf('</header>'));

    const rendersBefore = seen.docsBodyRenders;
    const anonymous = await app.inject({ url: '/docs' });
    const asReviewer = await reviewer.get('/docs');
    const asOwner = await owner.get('/docs');
    const again = await reviewer.get('/docs');
    const english = await reviewer.get('/docs?lang=en');
    const englishAgain = await owner.get('/docs?lang=en');
    t.equal(seen.docsBodyRenders - rendersBefore, 2, 'six views, two languages: two renders');
    for (const res of [anonymous, asReviewer, asOwner, again, english, englishAgain]) t.equal(res.statusCode, 200);
    t.equal(main(asReviewer.body), main(anonymous.body), 'the same body signed in or not');
    t.equal(main(asOwner.body), main(anonymous.body));
    t.equal(main(englishAgain.body), main(english.body));
    t.not(main(english.body), main(anonymous.body), 'each language its own');
    t.match(english.body, '<html lang="en"');

    t.match(header(anonymous.body), 'href="/login"', 'a visitor’s header offers sign-in');
    t.match(header(asReviewer.body), 'href="/staff"', 'a reviewer’s header links the staff queue');
    t.match(header(asOwner.body), 'href="/applications"', 'an owner’s header their applications');
    const token = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    t.ok(token(asReviewer.body) && token(asOwner.body), 'each with a sign-out form and its CSRF token');
    t.not(token(asReviewer.body), token(asOwner.body), 'their own');

    const filtered = await reviewer.get('/docs?lang=ko&code=A0003');
    t.equal(seen.docsBodyRenders - rendersBefore, 3, 'a filtered code list is rendered for the request');
    t.match(filtered.body, 'value="A0003"');
    t.ok(filtered.body.length < asReviewer.body.length, 'showing fewer codes');
    const unfiltered = await reviewer.get('/docs?lang=ko&code=');
    t.equal(main(unfiltered.body), main(asReviewer.body), 'an empty filter is the cached page');
    t.equal(seen.docsBodyRenders - rendersBefore, 3);
  },
);

t.test('tests render as production does: templates compiled once outside development', async (t) => {
  const app = await build(t);
  await app.inject({ url: '/login' });
  const before = seen.compiles;
  await app.inject({ url: '/login' });
  t.equal(seen.compiles, before, 'no compile on the second render');
});
