// Client-secret rotation and deletion: a rotated-out secret has a grace period and then stops, with the
// tokens it minted; deleting a secret revokes every token minted with it at once, on every instance.
import t from 'tap';
import { build, Browser } from '../helpers/build';
import { sharedDatabaseInstances } from '../helpers/instances';
import { DEMO_SANDBOX } from '../helpers/testbed';
import { sha256Hex } from '../../src/secret-tokens';
import { ROTATION_GRACE_DAYS } from '../../src/credentials/secret-rotation-grace';
import { TOKEN_RECHECK_MS } from '../../src/testbed/common/token-guard';
import type { FastifyInstance } from 'fastify';

const OWNER = 'owner@demo-fintech.example';
const DAY = 86_400_000;

async function clientCredentials(app: FastifyInstance, clientSecret: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/2.0/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      client_id: DEMO_SANDBOX.clientId,
      client_secret: clientSecret,
      scope: 'oob',
      grant_type: 'client_credentials',
    }).toString(),
  });
  return res.json() as Record<string, string>;
}
async function bankStatus(app: FastifyInstance, token: string): Promise<string> {
  const res = await app.inject({
    method: 'GET',
    url: '/v2.0/bank/status',
    headers: { authorization: `Bearer ${token}` },
  });
  return res.json().rsp_code as string;
}
function shownSecret(html: string): string {
  const m = /id="new-client-secret">([0-9a-f-]{36})</.exec(html);
  if (!m) throw new Error('no secret shown');
  return m[1]!;
}
const oldSecretId = async (app: FastifyInstance) =>
  (
    await app
      .db('client_secrets')
      .where({ secret_hash: sha256Hex(DEMO_SANDBOX.clientSecret) })
      .first('id')
  ).id as string;

t.test(
  `a rotated-out secret keeps working for the ${ROTATION_GRACE_DAYS}-day grace period shown on the page, then stops with the tokens it minted`,
  async (t) => {
    let now = Date.parse('2026-12-01T03:00:00Z');
    const app = await build(t, { demo: true, clock: () => new Date(now) });
    const oldToken = (await clientCredentials(app, DEMO_SANDBOX.clientSecret)).access_token!;
    const b = new Browser(app);
    await b.login(OWNER);
    const created = await b.post('/sandbox/secrets', { expires_in_days: '' }, { formUrl: '/sandbox' });
    t.equal(created.statusCode, 201);
    const secret = shownSecret(created.body);
    const old = await app
      .db('client_secrets')
      .where({ id: await oldSecretId(app) })
      .first();
    t.equal(
      old.expires_at,
      new Date(now + ROTATION_GRACE_DAYS * DAY).toISOString(),
      'the old secret now expires at the end of the grace period',
    );
    const page = await b.get('/sandbox');
    t.match(page.body, '7일 동안 더 쓸 수 있고', 'the page states the grace period');
    t.equal(ROTATION_GRACE_DAYS, 7, 'and the text matches the rule');
    const audit = await app.db('audit_events').where({ event: 'credentials.secret_created' }).first();
    t.match(JSON.parse(audit.data), { grace_days: 7, rotated_out: [{ hint: DEMO_SANDBOX.clientSecret.slice(-4) }] });

    now += ROTATION_GRACE_DAYS * DAY - 60_000;
    t.equal(
      (await clientCredentials(app, DEMO_SANDBOX.clientSecret)).scope,
      'oob',
      'within the grace period the old secret works',
    );
    t.equal(await bankStatus(app, oldToken), 'A0000', 'and so do the tokens it minted');
    const newToken = (await clientCredentials(app, secret)).access_token!;
    now += 61_000;
    t.equal(
      (await clientCredentials(app, DEMO_SANDBOX.clientSecret)).rsp_code,
      'O0001',
      'after the grace period the old secret is refused',
    );
    t.equal(await bankStatus(app, oldToken), 'O0002', 'and so are the tokens it minted');
    t.equal(await bankStatus(app, newToken), 'A0000', "the new secret's tokens keep working");
  },
);

t.test(
  'deleting a secret revokes every token minted with it at once (token cache too), and no other token',
  async (t) => {
    const app = await build(t, { demo: true });
    const b = new Browser(app);
    await b.login(OWNER);
    const secret = shownSecret(
      (await b.post('/sandbox/secrets', { expires_in_days: '' }, { formUrl: '/sandbox' })).body,
    );
    const minted = [
      (await clientCredentials(app, DEMO_SANDBOX.clientSecret)).access_token!,
      (await clientCredentials(app, DEMO_SANDBOX.clientSecret)).access_token!,
    ];
    const other = (await clientCredentials(app, secret)).access_token!;
    for (const token of [...minted, other])
      t.equal(await bankStatus(app, token), 'A0000', 'works (and is now cached by the guard)');
    const res = await b.post(`/sandbox/secrets/${await oldSecretId(app)}/revoke`, {}, { formUrl: '/sandbox' });
    t.equal(res.statusCode, 303);
    for (const token of minted)
      t.equal(await bankStatus(app, token), 'O0002', 'a token minted with the deleted secret is refused at once');
    t.equal(await bankStatus(app, other), 'A0000', 'a token minted with the other secret still works');
    const rows = await app.db('testbed_tokens').where({ client_secret_id: await oldSecretId(app) });
    t.equal(rows.length, 2);
    t.ok(
      rows.every((r: { revoked_at: string | null }) => r.revoked_at),
      'their records are revoked',
    );
    const audit = await app.db('audit_events').where({ event: 'credentials.secret_revoked' }).first();
    t.match(JSON.parse(audit.data), { tokens_revoked: 2 });
  },
);

t.test(
  `on another instance a deleted secret's tokens are refused within TOKEN_RECHECK_MS (${TOKEN_RECHECK_MS} ms)`,
  async (t) => {
    const instances = await sharedDatabaseInstances(t, { demo: true });
    const a = await instances.start();
    const b = await instances.start();
    const owner = new Browser(a);
    await owner.login(OWNER);
    await owner.post('/sandbox/secrets', { expires_in_days: '' }, { formUrl: '/sandbox' });
    const token = (await clientCredentials(a, DEMO_SANDBOX.clientSecret)).access_token!;
    t.equal(await bankStatus(b, token), 'A0000', 'instance B has the token cached');
    await owner.post(`/sandbox/secrets/${await oldSecretId(a)}/revoke`, {}, { formUrl: '/sandbox' });
    t.equal(await bankStatus(a, token), 'O0002', 'refused at once on the instance that deleted it');
    await new Promise((resolve) => setTimeout(resolve, TOKEN_RECHECK_MS + 50));
    t.equal(await bankStatus(b, token), 'O0002', 'and on the other instance after the recheck interval');
  },
);
