// Rule: the token guard may serve a token's live/revoked state from its process cache for at most
// TOKEN_RECHECK_MS; a revocation made through the services of the same instance takes effect at once
// (each revoking service tells the guard after its commit), one made through another instance sharing
// the database, or by SQL around the services, within that bound.
import t from 'tap';
import { TOKEN_RECHECK_MS } from '../../../src/testbed/common/token-guard';
import { sharedDatabaseInstances } from '../../helpers/instances';
import { DEMO_SANDBOX, HEO, HONG, oobToken, shortcutCode, userToken, userTokenResponse } from '../../helpers/testbed';

type App = Awaited<ReturnType<Awaited<ReturnType<typeof sharedDatabaseInstances>>['start']>>;

async function me(app: App, token: string, userSeqNo = HONG.userSeqNo): Promise<string> {
  const res = await app.inject({
    method: 'GET',
    url: `/v2.0/user/me?user_seq_no=${userSeqNo}`,
    headers: { authorization: `Bearer ${token}` },
  });
  return res.json().rsp_code as string;
}

async function bankStatus(app: App, token: string): Promise<string> {
  const res = await app.inject({
    method: 'GET',
    url: '/v2.0/bank/status',
    headers: { authorization: `Bearer ${token}` },
  });
  return res.json().rsp_code as string;
}

t.test(
  'a token revoked on another instance is refused within the documented bound, on the same instance at once',
  async (t) => {
    const instances = await sharedDatabaseInstances(t, { demo: true });
    const a = await instances.start();
    const b = await instances.start();
    const token = await userToken(a, { userSeqNo: HONG.userSeqNo });
    t.equal(await me(a, token), 'A0000', 'A knows the token');
    t.equal(await me(b, token), 'A0000', 'B knows the token (and now caches its record)');

    const unlink = await a.inject({
      method: 'POST',
      url: '/v2.0/user/unlink',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ client_use_code: DEMO_SANDBOX.clientUseCode, user_seq_no: HONG.userSeqNo }),
    });
    t.equal(unlink.json().rsp_code, 'A0000');
    t.equal(await me(a, token), 'O0002', 'the instance that revoked refuses the token immediately');

    await new Promise((r) => setTimeout(r, TOKEN_RECHECK_MS + 50));
    t.equal(await me(b, token), 'O0002', `the other instance refuses it within ${TOKEN_RECHECK_MS} ms`);
  },
);

/**
 * Runs `fn` with the guard's cache clock (performance.now) stopped, so a cached token record cannot age
 * out while it runs: a refusal inside proves the revocation was announced, not that the cache expired.
 */
async function withCacheAgeFrozen<T>(fn: () => Promise<T>): Promise<T> {
  const original = performance.now;
  const at = performance.now();
  performance.now = () => at;
  try {
    return await fn();
  } finally {
    performance.now = original;
  }
}

async function postToken(app: App, fields: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/2.0/token',
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
  });
  return res.json() as Record<string, unknown>;
}

const client = {
  client_id: DEMO_SANDBOX.clientId,
  client_secret: DEMO_SANDBOX.clientSecret,
  redirect_uri: DEMO_SANDBOX.callbackUrl,
};

t.test('every service that revokes tokens makes the revocation take effect at once on its instance', async (t) => {
  const instances = await sharedDatabaseInstances(t, { demo: true });
  const app = await instances.start();

  await t.test('user/close', async (t) => {
    const token = await userToken(app, { userSeqNo: HEO.userSeqNo });
    await withCacheAgeFrozen(async () => {
      t.equal(await me(app, token, HEO.userSeqNo), 'A0000', 'cached');
      const close = await app.inject({
        method: 'POST',
        url: '/v2.0/user/close',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ client_use_code: DEMO_SANDBOX.clientUseCode, user_seq_no: HEO.userSeqNo }),
      });
      t.equal(close.json().rsp_code, 'A0000');
      t.equal(await me(app, token, HEO.userSeqNo), 'O0002');
    });
  });

  await t.test('a refresh token rotation retires the old access token', async (t) => {
    const first = await userTokenResponse(app, { userSeqNo: HONG.userSeqNo });
    await withCacheAgeFrozen(async () => {
      t.equal(await me(app, first.access_token as string), 'A0000', 'cached');
      const next = await postToken(app, {
        ...client,
        refresh_token: first.refresh_token as string,
        grant_type: 'refresh_token',
      });
      t.type(next.access_token, 'string');
      t.equal(await me(app, first.access_token as string), 'O0002', 'the old access token');
      t.equal(await me(app, next.access_token as string), 'A0000', 'the new one works');
    });
  });

  await t.test('a second use of an authorization code revokes the tokens it produced', async (t) => {
    const code = await shortcutCode(app, { userSeqNo: HONG.userSeqNo });
    const exchange = () => postToken(app, { ...client, code, grant_type: 'authorization_code' });
    const token = (await exchange()).access_token as string;
    await withCacheAgeFrozen(async () => {
      t.equal(await me(app, token), 'A0000', 'cached');
      t.equal((await exchange()).rsp_code, 'O0001', 'the reused code is refused');
      t.equal(await me(app, token), 'O0002', 'and what it produced');
    });
  });

  await t.test('revoking the credential set (the sandbox page\'s "revoke")', async (t) => {
    const token = await oobToken(app);
    await withCacheAgeFrozen(async () => {
      t.equal(await bankStatus(app, token), 'A0000', 'cached');
      await app.services.credentials.revokeSandboxSet({ userId: null, label: 'test' }, DEMO_SANDBOX.organizationId);
      t.equal(await bankStatus(app, token), 'O0002');
    });
  });
  // Deleting a client secret: test/credentials/secret-rotation.test.ts ("refused at once").
});

t.test('the cache does not watch SQL: a write made around the services is seen within the bound', async (t) => {
  const instances = await sharedDatabaseInstances(t, { demo: true });
  const a = await instances.start();
  const token = await userToken(a, { userSeqNo: HONG.userSeqNo });
  t.equal(await me(a, token), 'A0000');
  await a.db('credential_sets').where({ id: DEMO_SANDBOX.credentialSetId }).update({ status: 'revoked' });
  await new Promise((r) => setTimeout(r, TOKEN_RECHECK_MS + 50));
  t.equal(await me(a, token), 'O0002', `a revoked credential set refuses its tokens within ${TOKEN_RECHECK_MS} ms`);
});
