// Rule (issue 16): each page of the account and admin lists is one range of its own index, read in the list's
// order: no full scan of the table, no sort (migrations/20261204214500_account_and_admin_list_pages.ts). The real
// pages are requested (the first page and the page after a cursor), every statement that reads a page of one of
// these tables (ORDER BY … LIMIT) is captured and EXPLAINed on the database the test runs on (SQLite, or
// PostgreSQL with DATABASE_URL): it must name the list's index and need no sort.
//
// As in test/scale/explain-indexes.test.ts, PostgreSQL plans are taken with seq scans, bitmap scans and sorts
// off: the tables are small here, so the planner may rightly prefer reading them whole; with those off the plan
// answers the question that matters at any size (is there an index that gives the page in its order?).
import t from 'tap';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { build, signUp } from '../helpers/build';
import { staffUser } from '../helpers/workflow';
import { isPostgres } from '../../src/db/knex';
import { SYSTEM_ACTOR } from '../../src/audit/service';
import { analyzeOwnTables, orderedIndexPlan } from '../helpers/explain';

t.setTimeout(300_000);

/** The page reads to check: the table, the index each must use, the pages that read it. */
const LISTS = [
  { table: 'client_secrets', index: 'client_secrets_set_page', who: 'owner', url: '/sandbox', param: 'secrets_after' },
  { table: 'memberships', index: 'memberships_org_page', who: 'owner', url: '/account', param: 'members_after' },
  { table: 'invites', index: 'invites_org_open_page', who: 'owner', url: '/account', param: 'invites_after' },
  { table: 'users', index: 'users_staff_page', who: 'admin', url: '/admin/staff', param: 'after' },
  { table: 'organizations', index: 'organizations_page', who: 'admin', url: '/admin/sandbox', param: 'after' },
  {
    table: 'login_lockouts',
    index: 'login_lockouts_page',
    who: 'admin',
    url: '/admin/sign-in-lockouts',
    param: 'after',
  },
] as const;

const N = 160;

async function grow(app: FastifyInstance) {
  const owner = await signUp(app, { email: 'owner@explain.example', organization: '계획핀테크' });
  const admin = await staffUser(app, 'admin');
  const me = await app
    .db('users as u')
    .join('memberships as m', 'm.user_id', 'u.id')
    .where('u.email', 'owner@explain.example')
    .first('u.id', 'm.organization_id');
  const orgId = me.organization_id as string;
  await app.services.credentials.reissueSandboxSet(SYSTEM_ACTOR, orgId);
  const setId = (await app.db('credential_sets').where({ organization_id: orgId }).first('id')).id as string;
  const base = Date.parse('2026-06-01T00:00:00.000Z');
  const at = (i: number) => new Date(base + i * 1000).toISOString();
  const later = (i: number) => new Date(Date.now() + 86_400_000 + i * 1000).toISOString();
  const secrets = [];
  const users = [];
  const memberships = [];
  const invites = [];
  const organizations = [];
  const lockouts = [];
  for (let i = 0; i < N; i++) {
    secrets.push({
      id: crypto.randomUUID(),
      credential_set_id: setId,
      secret_hash: crypto.randomBytes(32).toString('hex'),
      hint: `x${i}`,
      created_at: at(i),
      revoked_at: at(i + 1),
    });
    const userId = crypto.randomUUID();
    users.push({
      id: userId,
      email: `m${i}@explain.example`,
      name: `m${i}`,
      password_hash: 'x',
      disabled: false,
      created_at: at(i),
      password_changed_at: at(i),
    });
    memberships.push({ user_id: userId, organization_id: orgId, role: 'member', created_at: at(i) });
    users.push({
      id: crypto.randomUUID(),
      email: `s${i}@explain.example`,
      name: `s${i}`,
      password_hash: 'x',
      staff_role: 'reviewer',
      disabled: false,
      created_at: at(i),
      password_changed_at: at(i),
    });
    invites.push({
      id: crypto.randomUUID(),
      organization_id: orgId,
      token_hash: crypto.randomBytes(32).toString('hex'),
      created_by: me.id,
      created_at: at(i),
      expires_at: later(i),
    });
    organizations.push({ id: crypto.randomUUID(), name: `o${i}`, created_at: at(i) });
    lockouts.push({
      id: crypto.randomUUID(),
      scope: 'ip',
      email: '',
      ip: `10.1.${Math.floor(i / 250)}.${i % 250}`,
      failures: 20,
      first_at: new Date(Date.now() - 60_000).toISOString(),
      last_at: new Date(Date.now() - i * 1000).toISOString(),
      locked_until: new Date(Date.now() + 60_000).toISOString(),
    });
  }
  await app.db.batchInsert('client_secrets', secrets, 100);
  await app.db.batchInsert('users', users, 100);
  await app.db.batchInsert('memberships', memberships, 100);
  await app.db.batchInsert('invites', invites, 100);
  await app.db.batchInsert('organizations', organizations, 100);
  await app.db.batchInsert('login_lockouts', lockouts, 100);
  await analyzeOwnTables(app.db);
  return { owner, admin: admin.browser };
}

t.test(
  'every page of the account and admin lists reads its own index in order, without a scan or a sort',
  async (t) => {
    const app = await build(t);
    const browsers = await grow(app);
    const pg = isPostgres(app.db);
    for (const list of LISTS) {
      const seen: { sql: string; bindings: unknown[] }[] = [];
      const listen = (q: { sql: string; bindings?: unknown[] }) =>
        seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
      const who = browsers[list.who];
      app.db.on('query', listen);
      const first = await who.get(list.url);
      const cursor = new RegExp(`${list.param}(?:=|&#x3D;)([A-Za-z0-9_-]+)`).exec(first.body)?.[1];
      const second = cursor ? await who.get(`${list.url}?${list.param}=${cursor}`) : null;
      app.db.removeListener('query', listen);
      t.equal(first.statusCode, 200, `${list.url}: 200`);
      t.ok(cursor, `${list.table}: the first page links to a next one`);
      t.equal(second?.statusCode, 200, `${list.table}: the next page`);

      const table = new RegExp(`from\\s+["\`]${list.table}["\`]`, 'i');
      const pages = seen.filter((q) => table.test(q.sql) && /order by/i.test(q.sql) && /limit/i.test(q.sql));
      t.ok(pages.length >= 2, `${list.table}: the page reads were captured (${pages.length})`);
      for (const q of pages) {
        const plan = await orderedIndexPlan(app.db, q);
        t.match(plan, list.index, `${list.table}: read through ${list.index}\n${q.sql}\n${plan}`);
        if (pg) t.notMatch(plan, new RegExp(`Seq Scan on ${list.table}\\b`), `${list.table}: no full scan\n${plan}`);
        else
          t.notMatch(
            plan,
            new RegExp(`^SCAN ${list.table}\\b(?!.*USING)`, 'm'),
            `${list.table}: no full scan\n${plan}`,
          );
        t.notMatch(plan, pg ? /\bSort\b/ : /TEMP B-TREE/, `${list.table}: no sort\n${plan}`);
      }
    }
  },
);
