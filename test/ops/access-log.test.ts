import t from 'tap';
import { build, Browser } from '../helpers/build';
import { DEMO_SANDBOX, DEMO_PEOPLE, oobToken, userToken, fintechNumbers, bankTranId } from '../helpers/testbed';

t.test(
  'one log line per request: id, route, status, latency, organization, and the emulator API and rsp_code; no secret ever',
  async (t) => {
    const lines: Record<string, unknown>[] = [];
    const app = await build(t, {
      demo: true,
      config: { logLevel: 'info' },
      logStream: {
        write: (l: string) => {
          lines.push(JSON.parse(l));
        },
      },
    });
    const owner = new Browser(app);
    await owner.login('owner@demo-fintech.example', 'demo-password-1');
    await owner.get('/applications?lang=ko');
    const token = await oobToken(app);
    const hong = DEMO_PEOPLE.hong!;
    const user = await userToken(app, { userSeqNo: hong.userSeqNo, scope: 'login inquiry transfer' });
    const fin = Object.values(await fintechNumbers(app, hong.userSeqNo))[0]!;
    const tranId = bankTranId();
    const balance = await app.inject({
      method: 'GET',
      url: `/v2.0/account/balance/fin_num?bank_tran_id=${tranId}&fintech_use_num=${fin}&tran_dtime=20261204100000`,
      headers: { authorization: `Bearer ${user}` },
    });
    t.equal(balance.json().rsp_code, 'A0000');

    const requests = lines.filter((l) => l.msg === 'request');
    t.notOk(
      lines.some((l) => l.msg === 'incoming request' || l.msg === 'request completed'),
      "fastify's own two lines are off",
    );
    const page = requests.find((l) => l.route === '/applications');
    t.ok(page, 'the page view has its line');
    t.match(page, {
      method: 'GET',
      path: '/applications',
      status: 200,
      org: DEMO_SANDBOX.organizationId,
      reqId: String,
    });
    t.type(page!.ms, 'number');
    const call = requests.find((l) => l.route === '/v2.0/account/balance/fin_num');
    t.ok(call, 'the emulator call has its line');
    t.match(call, {
      path: '/v2.0/account/balance/fin_num',
      status: 200,
      api: 'balance',
      rsp_code: 'A0000',
      org: DEMO_SANDBOX.organizationId,
    });
    t.equal(requests.filter((l) => l.reqId === call!.reqId).length, 1, 'exactly one line for it');

    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    for (const secret of [DEMO_SANDBOX.clientSecret, token, user, fin, tranId, 'demo-password-1']) {
      t.notOk(text.includes(secret), `the log never contains ${secret.slice(0, 6)}…`);
    }
  },
);

t.test('at a level above info nothing is logged per request', async (t) => {
  const lines: string[] = [];
  const app = await build(t, {
    config: { logLevel: 'warn' },
    logStream: {
      write: (l: string) => {
        lines.push(l);
      },
    },
  });
  await app.inject({ method: 'GET', url: '/' });
  await app.inject({ method: 'GET', url: '/healthz' });
  t.same(lines, []);
});
