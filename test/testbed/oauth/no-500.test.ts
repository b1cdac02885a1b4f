// No input produces a 500: malformed bodies, content types, methods and parameters all get a KFTC
// answer (HTTP 200 + rsp_code) on the API paths.
import t from 'tap';
import { build } from '../../helpers/build';
import { DEMO_SANDBOX, HONG, userToken } from '../../helpers/testbed';

t.test('no input produces a 500 (fuzzing a few malformed bodies)', async (t) => {
  const app = await build(t, { demo: true });
  const tok = await userToken(app, { userSeqNo: HONG.userSeqNo });
  const bodies: [string, string][] = [
    ['application/json', '{'],
    ['application/json', '[]'],
    ['application/json', 'null'],
    ['application/json', '"string"'],
    ['application/json', '{"fintech_use_num": {"$gt": ""}, "account_alias": ["a"]}'],
    ['application/json', '{"__proto__": {"polluted": true}, "fintech_use_num": 1}'],
    ['application/json; charset=UTF-8', '\u0000\u0001'],
    ['application/x-www-form-urlencoded', '%%%=&&=%zz'],
    ['application/x-www-form-urlencoded', 'a=1&a=2&b'],
    ['text/plain', 'hello'],
    ['application/xml', '<x/>'],
    ['multipart/form-data; boundary=x', '--x\r\n'],
    ['application/json', `{"account_alias":"${'가'.repeat(5000)}"}`],
  ];
  const targets: [string, string, boolean][] = [
    ['POST', '/oauth/2.0/token', false],
    ['POST', '/testbed/sandbox/authorize', false],
    ['POST', '/v2.0/account/update_info', true],
    ['POST', '/v2.0/account/cancel', true],
    ['POST', '/v2.0/user/unlink', true],
  ];
  for (const [method, url, auth] of targets) {
    for (const [type, payload] of bodies) {
      const res = await app.inject({
        method: method as 'POST',
        url,
        payload,
        headers: { 'content-type': type, ...(auth ? { authorization: `Bearer ${tok}` } : {}) },
      });
      t.equal(res.statusCode, 200, `${url} ${type} ${payload.slice(0, 30)}`);
      const body = res.json();
      t.match(body.rsp_code, /^[AO]\d{4}$/, `${url} answers with an rsp_code`);
      t.not(body.rsp_code, 'A0003', 'malformed input is a format error, not an internal one');
    }
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  const queries = [
    'user_seq_no[]=1',
    'user_seq_no=1&user_seq_no=2',
    'user_seq_no=%E0%A4%A',
    `user_seq_no=${'9'.repeat(5000)}`,
    'include_cancel_yn=Y',
  ];
  for (const q of queries) {
    const res = await app.inject({
      method: 'GET',
      url: `/v2.0/account/list?${q}`,
      headers: { authorization: `Bearer ${tok}` },
    });
    t.equal(res.statusCode, 200, q);
    t.match(res.json().rsp_code, /^A0004$/, q);
  }
  const headers = [
    { authorization: 'Bearer' },
    { authorization: 'Bearer a.b.c' },
    { authorization: `Bearer ${'x'.repeat(10000)}` },
    { authorization: 'Bearer ééé' },
  ];
  for (const h of headers) {
    const res = await app.inject({ method: 'GET', url: `/v2.0/user/me?user_seq_no=${HONG.userSeqNo}`, headers: h });
    t.equal(res.statusCode, 200);
    t.match(res.json().rsp_code, /^O000[12]$/);
  }
  const big = await app.inject({
    method: 'POST',
    url: '/v2.0/account/update_info',
    payload: `{"a":"${'x'.repeat(300 * 1024)}"}`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` },
  });
  t.equal(big.statusCode, 200, 'an oversized body is a KFTC format error');
  t.equal(big.json().rsp_code, 'A0004');
  const weird = await app.inject({
    method: 'GET',
    url: `/oauth/2.0/authorize?client_id=${DEMO_SANDBOX.clientId}&redirect_uri=%E0%A4%A`,
  });
  t.ok(weird.statusCode < 500, 'a malformed authorize query is not a server error');
});
