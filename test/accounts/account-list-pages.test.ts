// Rule (issue 16): the account and admin lists are read a bounded page at a time, 50 a page with next / previous
// links, in a stable order: the account page's members (in the order they joined, the owner first) and its open
// invites (newest first), /admin/staff (newest first), /admin/sandbox's organizations (newest first) and
// /admin/sign-in-lockouts (latest failure first). Walking the links visits every row once and in order; a cursor
// the list did not give out shows the first page; one organization never sees another's members or invites;
// the admin lists are for administrators only.
import t from 'tap';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Browser, build, signUp } from '../helpers/build';
import { staffUser } from '../helpers/workflow';
import { sqlDuring, withoutSessionRead } from '../helpers/sql-during';

t.setTimeout(300_000);

const decode = (href: string) =>
  href.replace(/&amp;/g, '&').replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
/** The link of a pager on the page: the `n`th of its kind (0: the first list's pager). */
function link(html: string, rel: 'next' | 'prev', n = 0): string | null {
  const all = [...html.matchAll(new RegExp(`<a href="([^"]+)" rel="${rel}">`, 'g'))];
  const m = all[n];
  return m ? decode(m[1]!) : null;
}
/** Follows `rel` from `start` (at most `max` pages), collecting `read(body)` of each page. */
async function walk(
  who: Browser,
  start: string,
  read: (body: string) => string[],
  pick: (body: string) => string | null,
  max = 10,
): Promise<string[][]> {
  const pages: string[][] = [];
  let url: string | null = start;
  while (url && pages.length < max) {
    const res = await who.get(url);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    pages.push(read(res.body));
    url = pick(res.body);
  }
  return pages;
}
const iso = (base: number, i: number) => new Date(base + i * 1000).toISOString();
const orgOf = async (app: FastifyInstance, email: string) =>
  (
    await app
      .db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where('u.email', email)
      .first('m.organization_id')
  ).organization_id as string;

t.test(
  'the account page lists the members 50 a page in the order they joined, only its own organization',
  async (t) => {
    const app = await build(t);
    const owner = await signUp(app, { email: 'owner@members.example', organization: '구성원핀테크' });
    const other = await signUp(app, { email: 'owner@other.example', organization: '다른핀테크' });
    const orgA = await orgOf(app, 'owner@members.example');
    const orgB = await orgOf(app, 'owner@other.example');
    const base = Date.parse('2030-01-01T00:00:00.000Z');
    const add = async (org: string, email: string, at: string) => {
      const id = crypto.randomUUID();
      await app.db('users').insert({
        id,
        email,
        name: email.split('@')[0],
        password_hash: 'x',
        disabled: false,
        created_at: at,
        password_changed_at: at,
      });
      await app.db('memberships').insert({ user_id: id, organization_id: org, role: 'member', created_at: at });
    };
    // 59 members join after the owner; two of them at the same instant (the user id orders them).
    for (let i = 1; i <= 59; i++)
      await add(orgA, `m${String(i).padStart(3, '0')}@members.example`, iso(base, i === 59 ? 58 : i));
    await add(orgB, 'b-member@other.example', iso(base, 5));

    const emails = (html: string) => [...html.matchAll(/<td>([a-z0-9.-]+@[a-z.-]+)<\/td>/g)].map((m) => m[1]!);
    const pages = await walk(owner, '/account', emails, (b) => link(b, 'next'));
    t.same(
      pages.map((p) => p.length),
      [50, 10],
      'two pages: 50 and 10',
    );
    const walked = pages.flat();
    t.equal(walked[0], 'owner@members.example', 'the owner first (joined first)');
    t.equal(new Set(walked).size, 60, 'every member once');
    const joined = new Map(
      (
        await app
          .db('memberships as m')
          .join('users as u', 'u.id', 'm.user_id')
          .where('m.organization_id', orgA)
          .select('u.email', 'm.created_at', 'u.id')
      ).map((r: { email: string; created_at: string; id: string }) => [r.email, `${r.created_at} ${r.id}`]),
    );
    t.ok(
      walked.every((e, i) => i === 0 || joined.get(walked[i - 1]!)! < joined.get(e)!),
      'in the order they joined, then by user id',
    );
    t.notOk(walked.includes('b-member@other.example'), "another organization's member never appears");

    const first = await owner.get('/account');
    const second = await owner.get(link(first.body, 'next')!);
    t.match(
      link(first.body, 'next')!,
      /^\/account\?members_after=[A-Za-z0-9_-]+#members-title$/,
      'the link names its list',
    );
    t.same(emails((await owner.get(link(second.body, 'prev')!)).body), pages[0], 'previous walks back');
    for (const bad of ['zzz', 'eyJhIjoxfQ', 'WyJhIiwxXQ']) {
      const res = await owner.get(`/account?members_after=${bad}`);
      t.equal(res.statusCode, 200, `members_after=${bad}: 200`);
      t.same(emails(res.body), pages[0], `members_after=${bad}: the first page`);
    }
    const theirs = emails((await other.get('/account')).body);
    t.same(theirs, ['owner@other.example', 'b-member@other.example'], 'the other organization sees its own two');
  },
);

t.test(
  "the owner's open invites are listed 50 a page, newest first; members and other organizations see none",
  async (t) => {
    const app = await build(t);
    const owner = await signUp(app, { email: 'owner@invites.example', organization: '초대핀테크' });
    const other = await signUp(app, { email: 'owner@other.example', organization: '다른핀테크' });
    const orgA = await orgOf(app, 'owner@invites.example');
    const ownerId = (await app.db('users').where({ email: 'owner@invites.example' }).first('id')).id as string;
    const now = Date.now();
    const invite = async (i: number, extra: Record<string, string> = {}) => {
      const id = crypto.randomUUID();
      await app.db('invites').insert({
        id,
        organization_id: orgA,
        token_hash: crypto.randomBytes(32).toString('hex'),
        created_by: ownerId,
        created_at: new Date(now - 86_400_000 + i * 1000).toISOString(),
        expires_at: new Date(now + 6 * 86_400_000 + i * 1000).toISOString(),
        ...extra,
      });
      return id;
    };
    const open: string[] = [];
    for (let i = 0; i < 55; i++) open.push(await invite(i));
    await invite(100, { used_at: new Date(now).toISOString() });
    await invite(101, { revoked_at: new Date(now).toISOString() });
    await invite(-10 * 86_400, { expires_at: new Date(now - 1000).toISOString() });

    const ids = (html: string) =>
      [...html.matchAll(/action="\/account\/invites\/([0-9a-f-]{36})\/revoke"/g)].map((m) => m[1]!);
    // The members list has one page here: the only next link is the invites'.
    const pages = await walk(owner, '/account', ids, (b) => link(b, 'next'));
    t.same(
      pages.map((p) => p.length),
      [50, 5],
      'two pages: 50 and 5 (used, revoked and expired invites are not open)',
    );
    t.same(pages.flat(), [...open].reverse(), 'newest first, each open invite once');
    const bad = await owner.get('/account?invites_after=zzz');
    t.same(ids(bad.body), pages[0], 'a bad cursor is the first page');

    // A member of the organization sees no invites, nor does another organization.
    const created = await owner.post('/account/invites', {}, { formUrl: '/account' });
    const joinLink = /(\/invite\/[A-Za-z0-9_-]+)/.exec(created.body)![1]!;
    const member = new Browser(app);
    await member.post(joinLink, {
      name: '구성원',
      email: 'member@invites.example',
      password: 'member-pass-1',
      password_confirm: 'member-pass-1',
    });
    const memberPage = await member.get('/account');
    t.equal(memberPage.statusCode, 200);
    t.same(ids(memberPage.body), [], 'a member sees no invites');
    t.same(ids((await other.get('/account')).body), [], "another organization's owner sees none of them");
    const cursor = /invites_after=([A-Za-z0-9_-]+)/.exec(decode((await owner.get('/account')).body))![1]!;
    t.same(ids((await other.get(`/account?invites_after=${cursor}`)).body), [], 'not even with its cursor');
  },
);

t.test('/admin/staff lists the staff accounts 50 a page, newest first; only administrators see it', async (t) => {
  const app = await build(t);
  const admin = await staffUser(app, 'admin');
  const reviewer = await staffUser(app, 'reviewer');
  const applicant = await signUp(app, { email: 'owner@applicant.example' });
  const base = Date.parse('2030-01-01T00:00:00.000Z');
  for (let i = 0; i < 59; i++) {
    await app.db('users').insert({
      id: crypto.randomUUID(),
      email: `s${String(i).padStart(3, '0')}@staff.example`,
      name: `직원${i}`,
      password_hash: 'x',
      staff_role: ['reviewer', 'inspector', 'contract_officer', 'admin'][i % 4],
      disabled: i % 7 === 0,
      created_at: iso(base, i % 30 === 0 ? 1 : i), // two at the same instant: the id orders them
      password_changed_at: iso(base, i),
    });
  }
  const emails = (html: string) => [...html.matchAll(/<td>([a-z0-9.-]+@[a-z.-]+)<\/td>/g)].map((m) => m[1]!);
  const pages = await walk(admin.browser, '/admin/staff', emails, (b) => link(b, 'next'));
  t.same(
    pages.map((p) => p.length),
    [50, 11],
    '61 staff accounts (deactivated ones included): 50 and 11',
  );
  const walked = pages.flat();
  t.equal(new Set(walked).size, 61, 'every staff account once');
  t.notOk(walked.includes('owner@applicant.example'), 'no applicant account');
  const keys = new Map(
    (await app.db('users').whereNotNull('staff_role').select('email', 'created_at', 'id')).map(
      (r: { email: string; created_at: string; id: string }) => [r.email, `${r.created_at} ${r.id}`],
    ),
  );
  t.ok(
    walked.every((e, i) => i === 0 || keys.get(walked[i - 1]!)! > keys.get(e)!),
    'newest first, then by id',
  );
  const second = await admin.browser.get(link((await admin.browser.get('/admin/staff')).body, 'next')!);
  t.same(emails((await admin.browser.get(link(second.body, 'prev')!)).body), pages[0], 'previous walks back');
  t.same(emails((await admin.browser.get('/admin/staff?after=zzz')).body), pages[0], 'a bad cursor is the first page');
  t.same(emails((await admin.browser.get('/admin/staff?before=zzz&after=zzz')).body), pages[0], 'and so are two');
  // A row's form on page 2 posts to that page's address and comes back to it, not to page 1.
  const actionsOf = (html: string, email: string) => {
    const row = html.slice(html.indexOf(`<td>${email}</td>`));
    return [...row.slice(0, row.indexOf('</tr>')).matchAll(/action="([^"]+)"/g)].map((m) => decode(m[1]!));
  };
  const secondUrl = link((await admin.browser.get('/admin/staff')).body, 'next')!;
  const [role, deactivate] = actionsOf(
    second.body,
    emails(second.body).find((e) => actionsOf(second.body, e).some((a) => a.includes('/deactivate')))!,
  );
  t.match(
    deactivate,
    /^\/admin\/staff\/[0-9a-f-]+\/deactivate\?after=[A-Za-z0-9_-]+$/,
    'a row form on page 2 carries its page',
  );
  const done = await admin.browser.post(deactivate!, {}, { formUrl: secondUrl });
  t.equal(done.statusCode, 303, 'the action is done');
  t.equal(done.headers.location, secondUrl, 'and returns to page 2');
  const forged = await admin.browser.post(
    role!.replace(/\?after=.*$/, '?after=https%3A%2F%2Fevil.example'),
    { staff_role: 'reviewer' },
    { formUrl: '/admin/staff' },
  );
  t.equal(forged.statusCode, 303, 'a form with a cursor the list did not give out is still done');
  t.equal(forged.headers.location, '/admin/staff', 'and returns to the first page');
  t.equal((await reviewer.browser.get('/admin/staff')).statusCode, 403, 'a reviewer: 403');
  t.equal((await applicant.get('/admin/staff')).statusCode, 403, 'an applicant: 403');
  t.equal((await new Browser(app).get('/admin/staff')).statusCode, 303, 'nobody signed in: to the sign-in page');
});

t.test('/admin/sandbox lists the organizations 50 a page, newest first; only administrators see it', async (t) => {
  const app = await build(t);
  const admin = await staffUser(app, 'admin');
  const inspector = await staffUser(app, 'inspector');
  const applicant = await signUp(app, { email: 'owner@first.example', organization: '첫핀테크' });
  const base = Date.parse('2030-01-01T00:00:00.000Z');
  for (let i = 0; i < 60; i++)
    await app
      .db('organizations')
      .insert({ id: crypto.randomUUID(), name: `기관${String(i).padStart(3, '0')}`, created_at: iso(base, i) });
  const names = (html: string) => [...html.matchAll(/<td>((?:기관\d{3})|첫핀테크)<\/td>/g)].map((m) => m[1]!);
  const pages = await walk(admin.browser, '/admin/sandbox', names, (b) => link(b, 'next'));
  t.same(
    pages.map((p) => p.length),
    [50, 11],
    '61 organizations: 50 and 11',
  );
  const expected = [...Array.from({ length: 60 }, (_, i) => `기관${String(59 - i).padStart(3, '0')}`), '첫핀테크'];
  t.same(pages.flat(), expected, 'newest first, each once');
  t.same(names((await admin.browser.get('/admin/sandbox?after=zzz')).body), pages[0], 'a bad cursor is the first page');
  // The issue button still finds an organization that is not on the first page.
  const firstOrg = (await app.db('organizations').where({ name: '첫핀테크' }).first('id')).id as string;
  const issued = await admin.browser.post(`/admin/sandbox/${firstOrg}/issue`, {}, { formUrl: '/admin/sandbox' });
  t.equal(issued.statusCode, 303, 'issuing for an organization on the second page works');
  t.ok(
    await app.db('credential_sets').where({ organization_id: firstOrg, status: 'active' }).first(),
    'its set exists',
  );
  const unknown = await admin.browser.post(
    `/admin/sandbox/${crypto.randomUUID()}/issue`,
    {},
    { formUrl: '/admin/sandbox' },
  );
  t.equal(unknown.statusCode, 404, 'an unknown organization: 404');
  // A page reads the same number of statements however many organizations there are.
  const before = withoutSessionRead(await sqlDuring(app, () => admin.browser.get('/admin/sandbox'))).length;
  for (let i = 60; i < 160; i++)
    await app
      .db('organizations')
      .insert({ id: crypto.randomUUID(), name: `기관${String(i).padStart(3, '0')}`, created_at: iso(base, i) });
  const after = withoutSessionRead(await sqlDuring(app, () => admin.browser.get('/admin/sandbox'))).length;
  t.equal(after, before, `the same statements for 62 and 162 organizations (${before})`);
  t.equal((await inspector.browser.get('/admin/sandbox')).statusCode, 403, 'an inspector: 403');
  t.equal((await applicant.get('/admin/sandbox')).statusCode, 403, 'an applicant: 403');
});

t.test(
  '/admin/sign-in-lockouts pages the last 7 days 50 a page, latest failure first; only administrators',
  async (t) => {
    const app = await build(t);
    const admin = await staffUser(app, 'admin');
    const contract = await staffUser(app, 'contract_officer');
    const now = Date.now();
    const rows = [];
    for (let i = 0; i < 120; i++) {
      const last = new Date(now - (i % 100) * 60_000).toISOString(); // 20 pairs share a last_at: the id orders them
      rows.push({
        id: crypto.randomUUID(),
        scope: 'account_ip',
        email: `u${String(i).padStart(3, '0')}@lock.example`,
        ip: `10.0.${Math.floor(i / 200)}.${i % 200}`,
        failures: 4 + i,
        first_at: new Date(now - 3_600_000).toISOString(),
        last_at: last,
        locked_until: new Date(now + 60_000 - i * 1000).toISOString(),
      });
    }
    rows.push({
      id: crypto.randomUUID(),
      scope: 'ip',
      email: '',
      ip: '10.9.9.9',
      failures: 30,
      first_at: new Date(now - 9 * 86_400_000).toISOString(),
      last_at: new Date(now - 8 * 86_400_000).toISOString(),
      locked_until: new Date(now - 8 * 86_400_000).toISOString(),
    });
    for (const r of rows) await app.db('login_lockouts').insert(r);
    const emails = (html: string) => [...html.matchAll(/<td>(u\d{3}@lock\.example)<\/td>/g)].map((m) => m[1]!);
    const pages = await walk(admin.browser, '/admin/sign-in-lockouts', emails, (b) => link(b, 'next'));
    t.same(
      pages.map((p) => p.length),
      [50, 50, 20],
      '120 lockouts of the last 7 days (the older one is not listed): 50, 50 and 20',
    );
    const walked = pages.flat();
    t.equal(new Set(walked).size, 120, 'every lockout once');
    const key = new Map(rows.map((r) => [r.email, `${r.last_at} ${r.id}`]));
    t.ok(
      walked.every((e, i) => i === 0 || key.get(walked[i - 1]!)! > key.get(e)!),
      'latest failure first, then by id',
    );
    const page = await admin.browser.get('/admin/sign-in-lockouts');
    t.match(page.body, /다음|Next/, 'the next link has its words');
    const third = await admin.browser.get(link((await admin.browser.get(link(page.body, 'next')!)).body, 'next')!);
    t.same(emails((await admin.browser.get(link(third.body, 'prev')!)).body), pages[1], 'previous walks back');
    t.same(
      emails((await admin.browser.get('/admin/sign-in-lockouts?after=zzz')).body),
      pages[0],
      'a bad cursor: the first page',
    );
    t.equal((await admin.browser.get('/admin/sign-in-lockouts?size=500')).statusCode, 200);
    t.equal(
      emails((await admin.browser.get('/admin/sign-in-lockouts?size=500')).body).length,
      100,
      'size is capped at 100',
    );

    // An attack goes on while an administrator pages: two lockouts not yet seen get new failures. The walk goes on
    // as the list stood at its first page, so nothing shows twice and the pages read so far stay as they were.
    const start = await admin.browser.get('/admin/sign-in-lockouts');
    const firstSeen = emails(start.body);
    const secondUrl = link(start.body, 'next')!;
    t.match(secondUrl, /[?&]as_of=/, 'the next link carries the time the list was read');
    const moved = [pages[1]![10]!, pages[2]![5]!];
    await app
      .db('login_lockouts')
      .whereIn('email', moved)
      .update({ last_at: new Date(Date.now() + 1000).toISOString() });
    const rest = await walk(admin.browser, secondUrl, emails, (b) => link(b, 'next'));
    const during = [...firstSeen, ...rest.flat()];
    t.equal(new Set(during).size, during.length, 'no lockout twice during the walk');
    t.notOk(
      rest.flat().some((e) => moved.includes(e)),
      'the two that changed are left out of the later pages',
    );
    const secondPage = await admin.browser.get(secondUrl);
    t.match(secondPage.body, /기준 목록입니다/, 'a later page says what time it shows');
    t.same(
      emails((await admin.browser.get(link(secondPage.body, 'prev')!)).body),
      firstSeen,
      'previous: page 1 as read',
    );
    const latest = await admin.browser.get('/admin/sign-in-lockouts');
    t.same(emails(latest.body).slice(0, 2).sort(), [...moved].sort(), 'the latest list shows them first');
    t.notMatch(latest.body, /기준 목록입니다/, 'the latest list needs no such note');
    for (const bad of ['yesterday', '2999-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', '2030-01-01T00:00:00Z']) {
      const res = await admin.browser.get(`${secondUrl.replace(/as_of=[^&]+/, `as_of=${encodeURIComponent(bad)}`)}`);
      t.equal(res.statusCode, 200, `as_of=${bad}: a page`);
      t.same(
        emails(res.body),
        emails(latest.body),
        `as_of=${bad} is not a time the list gave out: the latest first page`,
      );
    }
    t.equal((await contract.browser.get('/admin/sign-in-lockouts')).statusCode, 403, 'a contract officer: 403');
  },
);
