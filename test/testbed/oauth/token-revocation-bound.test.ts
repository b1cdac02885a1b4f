// Rule: the token guard may serve a token's live/revoked state from its process cache for at most
// TOKEN_RECHECK_MS; a revocation made through the same instance takes effect at once, one made through
// another instance sharing the database within that bound.
import t from 'tap';
import { TOKEN_RECHECK_MS } from '../../../src/testbed/common/token-guard';
import { sharedDatabaseInstances } from '../../helpers/instances';
import { DEMO_SANDBOX, HONG, userToken } from '../../helpers/testbed';

type App = Awaited<ReturnType<Awaited<ReturnType<typeof sharedDatabaseInstances>>['start']>>;

async function me(app: App, token: string): Promise<string> {
  const res = await app.inject({
    method: 'GET',
    url: `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`,
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

t.test('a direct database revocation by this process clears the cache at once', async (t) => {
  const instances = await sharedDatabaseInstances(t, { demo: true });
  const a = await instances.start();
  const token = await userToken(a, { userSeqNo: HONG.userSeqNo });
  t.equal(await me(a, token), 'A0000');
  await a.db('credential_sets').where({ id: DEMO_SANDBOX.credentialSetId }).update({ status: 'revoked' });
  t.equal(await me(a, token), 'O0002', 'a revoked credential set refuses its tokens at once');
});
