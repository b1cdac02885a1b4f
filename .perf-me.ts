import { build } from '/work/main/test/helpers/build';
import { userToken, HONG } from '/work/main/test/helpers/testbed';
(async () => {
  const app = await build({ teardown() {} }, { demo: true });
  const tok = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const r = await app.inject({ method: 'GET', url: `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`, headers: { authorization: `Bearer ${tok}` } });
  console.log(r.headers);
  for (let round = 0; round < 3; round++) {
    const N = 2000; const t0 = performance.now();
    for (let i = 0; i < N; i++) await app.inject({ method: 'GET', url: `/v2.0/account/list?user_seq_no=${HONG.userSeqNo}`, headers: { authorization: `Bearer ${tok}` } });
    console.log('account/list', ((performance.now() - t0) / N * 1000).toFixed(0), 'us');
  }
  process.exit(0);
})();
