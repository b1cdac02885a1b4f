// Tables that scroll sideways on a phone must be reachable with the keyboard: every <table> sits in the
// table-wrap partial, which renders a focusable (tabindex="0") region (role="region") named by a heading or
// caption on the same page. Checked twice: in the templates (a new table without the partial fails even
// when no test data shows it) and in the pages as rendered, crawled by following links as every kind of user.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { Browser, build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { DEMO_ORGS, DEMO_STAFF } from '../../src/demo-accounts';
import { viewsDir } from '../../src/paths';

// ---------------------------------------------------------------- the rules, as functions of HTML text

const WRAP_TAG = /<[a-z][a-z0-9]*\b[^>]*\bclass="(?:[^"]*\s)?table-wrap(?:\s[^"]*)?"[^>]*>/gi;

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/\s([a-z][\w:-]*)(?:="([^"]*)")?/gi)) out[m[1]!.toLowerCase()] = m[2] ?? '';
  return out;
}

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Problems with the scrollable tables of one rendered page (an empty list when it is right). */
export function tableRegionProblems(html: string): string[] {
  const problems: string[] = [];
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  const wraps = [...html.matchAll(WRAP_TAG)];
  for (const w of wraps) {
    const a = attrs(w[0]);
    const where = w[0].slice(0, 120);
    if (a.tabindex !== '0') problems.push(`not focusable (tabindex="0" missing): ${where}`);
    if (a.role !== 'region') problems.push(`not a region (role="region" missing): ${where}`);
    if (a['aria-labelledby'] !== undefined) {
      for (const id of a['aria-labelledby'].split(/\s+/).filter(Boolean)) {
        const count = ids.filter((x) => x === id).length;
        if (count !== 1) {
          problems.push(`aria-labelledby="${id}" matches ${count} elements on the page (needs exactly one): ${where}`);
          continue;
        }
        const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const el = new RegExp(`<([a-z][a-z0-9]*)\\b[^>]*\\sid="${esc}"[^>]*>([\\s\\S]*?)</\\1>`, 'i').exec(html);
        if (!el || !textOf(el[2]!)) problems.push(`aria-labelledby="${id}" names an element with no text: ${where}`);
      }
      if (!a['aria-labelledby'].trim()) problems.push(`empty aria-labelledby: ${where}`);
    } else if (!(a['aria-label'] ?? '').trim()) {
      problems.push(`no name (aria-labelledby or aria-label): ${where}`);
    }
  }
  // Every table is the first thing inside such a wrapper: nothing but white space between the last wrapper tag
  // before it and the table. One pass over the page (the pages are up to a few hundred KB, with dozens of tables).
  let w = -1;
  for (const m of html.matchAll(/<table\b/gi)) {
    while (w + 1 < wraps.length && wraps[w + 1]!.index! + wraps[w + 1]![0].length <= m.index!) w++;
    const last = wraps[w];
    const between = last ? html.slice(last.index! + last[0].length, m.index) : null;
    if (between === null || between.trim() !== '')
      problems.push(`a <table> not directly inside a table-wrap region: ${html.slice(m.index, m.index! + 100)}`);
  }
  return problems;
}

/** Problems in one template's source: tables outside the partial, hand-written wrappers. */
export function templateProblems(source: string): string[] {
  const problems: string[] = [];
  if (/class="[^"]*\btable-wrap\b/.test(source))
    problems.push('writes class="table-wrap" by hand instead of using {{#> table-wrap}}');
  for (const m of source.matchAll(/<table\b/gi)) {
    const before = source.slice(0, m.index);
    const opened = (before.match(/\{\{#>\s*table-wrap\b/g) ?? []).length;
    const closed = (before.match(/\{\{\/table-wrap\}\}/g) ?? []).length;
    if (opened <= closed)
      problems.push(
        `a <table> outside {{#> table-wrap}}: ${source.slice(m.index, m.index! + 80).replace(/\s+/g, ' ')}`,
      );
  }
  for (const m of source.matchAll(/\{\{#>\s*table-wrap\b([^}]*)\}\}/g)) {
    if (!/\blabelId=|\blabel=/.test(m[1]!)) problems.push(`{{#> table-wrap}} without labelId= or label=: ${m[0]}`);
  }
  return problems;
}

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? templates(full) : e.name.endsWith('.hbs') ? [full] : [];
  });
}

// ---------------------------------------------------------------- the checks can fail

t.test('the checks report a table without a focusable labelled region', async (t) => {
  t.match(
    tableRegionProblems('<h2 id="x">X</h2><div class="table-wrap"><table></table></div>').join('\n'),
    /not focusable[\s\S]*not a region[\s\S]*no name/,
  );
  t.match(tableRegionProblems('<main><table><tr><td>1</td></tr></table></main>').join('\n'), /not directly inside/);
  t.match(
    tableRegionProblems(
      '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="gone"><table></table></div>',
    ).join('\n'),
    /matches 0 elements/,
  );
  t.match(
    tableRegionProblems(
      '<h2 id="a">A</h2><h3 id="a">B</h3><div class="table-wrap" tabindex="0" role="region" aria-labelledby="a"><table></table></div>',
    ).join('\n'),
    /matches 2 elements/,
  );
  t.match(
    tableRegionProblems(
      '<h2 id="a"></h2><div class="table-wrap" tabindex="0" role="region" aria-labelledby="a"><table></table></div>',
    ).join('\n'),
    /no text/,
  );
  t.same(
    tableRegionProblems(
      '<h2 id="a">Secrets</h2><div class="table-wrap" tabindex="0" role="region" aria-labelledby="a">\n<table></table></div>',
    ),
    [],
  );
  t.same(
    tableRegionProblems('<div class="table-wrap" tabindex="0" role="region" aria-label="Fees"><table></table></div>'),
    [],
  );
  t.same(
    tableRegionProblems(
      '<div class="table-wrap" tabindex="0" role="region" aria-label="A"><table></table></div><p>B</p><table></table>',
    ).map((p) => p.replace(/:.*/, '')),
    ['a <table> not directly inside a table-wrap region'],
    'a second table after the wrapper is closed is not inside it',
  );
  t.same(
    tableRegionProblems(
      '<div class="table-wrap" tabindex="0" role="region" aria-label="A"><table></table></div><div class="table-wrap" tabindex="0" role="region" aria-label="B"> <table></table></div>',
    ),
    [],
  );
  t.match(templateProblems('<div class="table-wrap"><table></table></div>').join('\n'), /by hand[\s\S]*outside/);
  t.match(templateProblems('{{#> table-wrap}}<table></table>{{/table-wrap}}').join('\n'), /without labelId/);
  t.same(templateProblems('{{#> table-wrap labelId="a"}}<table></table>{{/table-wrap}}'), []);
});

// ---------------------------------------------------------------- the templates

t.test('every table in views/ is written inside the table-wrap partial, with a label', async (t) => {
  const files = templates(viewsDir).filter(
    (f) => path.relative(viewsDir, f) !== path.join('partials', 'table-wrap.hbs'),
  );
  let tables = 0;
  for (const f of files) {
    const source = fs.readFileSync(f, 'utf8');
    tables += (source.match(/<table\b/gi) ?? []).length;
    t.same(templateProblems(source), [], `${path.relative(viewsDir, f)}: tables use the table-wrap partial`);
  }
  t.ok(tables >= 15, `the templates hold ${tables} tables`);
  const partial = fs.readFileSync(path.join(viewsDir, 'partials', 'table-wrap.hbs'), 'utf8');
  t.match(partial, /tabindex="0" role="region"/, 'the partial renders a focusable region');
});

// ---------------------------------------------------------------- the pages as people see them

/**
 * The kind of page a link leads to: its path with ids and numbers as placeholders, and the names (not the
 * values) of its query parameters. `/docs?code=A0001` and `/docs?code=O0002` are one kind: the same template.
 */
export function pageKind(url: string): string {
  const u = new URL(url, 'http://portal.test');
  const path = u.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\/\d+(?=\/|$)/g, '/:n');
  return `${path}?${[...new Set(u.searchParams.keys())].sort().join('&')}`;
}

/** How many pages of one kind the crawl reads per person: the same template with other values adds no table. */
const PAGES_PER_KIND = 4;

/**
 * Follows same-site links (GET only) from `start`, returning [path, html] for every HTML page reached, at most
 * PAGES_PER_KIND of each kind (the docs link each of their ~300 result codes to the same filtered page).
 */
async function crawl(b: Browser, start: string[], limit = 250): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  const queue = [...start];
  const seen = new Set(queue);
  const perKind = new Map<string, number>();
  while (queue.length && pages.size < limit) {
    const url = queue.shift()!;
    const kind = pageKind(url);
    const n = perKind.get(kind) ?? 0;
    if (n >= PAGES_PER_KIND) continue;
    perKind.set(kind, n + 1);
    const res = await b.get(url);
    if (res.statusCode !== 200 || !String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
    pages.set(url, res.body);
    for (const m of res.body.matchAll(/<a\b([^>]*)>/gi)) {
      const a = attrs(m[1]!);
      const href = a.href;
      if (!href || a.download !== undefined || !href.startsWith('/') || href.startsWith('//')) continue;
      const u = new URL(href, 'http://portal.test');
      if (
        u.searchParams.has('lang') ||
        /\.(csv|json|pdf|png|jpe?g)$/i.test(u.pathname) ||
        /\/files\//.test(u.pathname) ||
        u.pathname.startsWith('/public/')
      )
        continue;
      const next = u.pathname + u.search;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return pages;
}

async function signedIn(app: FastifyInstance, email: string, password?: string): Promise<Browser> {
  const b = new Browser(app);
  await b.login(email, password);
  return b;
}

t.test(
  'every scrollable table wrapper is a focusable labelled region, on every page each kind of user reaches',
  async (t) => {
    const app = await build(t, { demo: true });
    // Demo data covers the queue, reviews, sandbox, ledger, docs and admin pages; an application taken through
    // to the contract stage through the services (documents uploaded, inspection approved) and signed adds the inspection and contract tables.
    const later = await applicationAt(app, 'contract', { email: 'owner@table-regions.example' });
    const signed = await later.browser.post(
      `/applications/${later.id}/contract/sign`,
      { full_name: '김테스트', accept: 'yes' },
      { formUrl: `/applications/${later.id}/contract` },
    );
    t.equal(signed.statusCode, 303, 'the later application is signed');

    const people: [string, Browser, string[]][] = [
      ['a visitor', new Browser(app), ['/', '/docs', '/login', '/signup']],
      [
        DEMO_ORGS.demoFintech.owner,
        await signedIn(app, DEMO_ORGS.demoFintech.owner),
        ['/applications', '/sandbox', '/sandbox/ledger', '/account', '/account/tokens', '/notifications'],
      ],
      [
        DEMO_ORGS.samplePay.owner,
        await signedIn(app, DEMO_ORGS.samplePay.owner),
        ['/applications', '/sandbox', '/account'],
      ],
      [
        'the applicant in the contract stage',
        later.browser,
        ['/applications', `/applications/${later.id}/security`, `/applications/${later.id}/contract`, '/account'],
      ],
      [
        'the inspector',
        later.inspector.browser,
        [
          '/staff',
          `/staff/applications/${later.id}`,
          `/staff/applications/${later.id}/security`,
          `/staff/applications/${later.id}/contract`,
        ],
      ],
      ...DEMO_STAFF.map((s): [string, Browser, string[]] => [
        s.email,
        new Browser(app),
        ['/staff', '/admin', '/admin/outbox', '/admin/staff', '/account'],
      ]),
    ];
    for (const p of people.slice(-DEMO_STAFF.length)) await p[1].login(p[0]);

    let regions = 0;
    const pathsWithTables = new Set<string>();
    for (const [who, b, start] of people) {
      const pages = await crawl(b, start);
      t.ok(pages.size >= Math.min(start.length, 2), `${who}: ${pages.size} pages reached`);
      for (const [url, html] of pages) {
        const n = (html.match(WRAP_TAG) ?? []).length;
        regions += n;
        if (n) pathsWithTables.add(url.replace(/[0-9a-f-]{36}/g, ':id').replace(/\?.*$/, ''));
        const problems = tableRegionProblems(html);
        if (problems.length) t.same(problems, [], `${who} on ${url}: every table is a focusable labelled region`);
      }
    }
    const expected = [
      '/staff',
      '/staff/applications/:id',
      '/sandbox',
      '/sandbox/ledger',
      '/docs',
      '/account',
      '/admin/outbox',
      '/admin/staff',
      '/applications/:id/security',
      '/applications/:id/contract',
      '/staff/applications/:id/security',
      '/staff/applications/:id/contract',
    ];
    for (const p of expected) t.ok(pathsWithTables.has(p), `tables were seen and checked on ${p}`);
    t.ok(
      regions >= 30,
      `${regions} table regions checked on ${pathsWithTables.size} kinds of page (${[...pathsWithTables].sort().join(', ')})`,
    );
  },
);

t.test(
  'the crawl reads a few pages of each kind: values of ids, numbers and query parameters do not make a new kind',
  async (t) => {
    t.equal(pageKind('/docs?code=A0001'), pageKind('/docs?code=O0002'), 'one filtered docs page is like another');
    t.not(pageKind('/docs'), pageKind('/docs?code=A0001'), 'the filter makes another kind');
    t.equal(
      pageKind('/staff/applications/0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b/requests/12'),
      pageKind('/staff/applications/0193a4b2-7c1d-7e3f-8a9b-ffffffffffff/requests/3'),
      'ids and request numbers are placeholders',
    );
    t.not(pageKind('/staff/applications/x/security'), pageKind('/staff/applications/x/contract'), 'paths stay apart');
    t.equal(pageKind('/sandbox/console?scenario=a&api=b'), pageKind('/sandbox/console?api=c&scenario=d'));
  },
);
