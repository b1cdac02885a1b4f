import t from 'tap';
import { build } from '../helpers/build';
import { loadConfig } from '../../src/config';

const TOKEN = 'metrics-token-0123456789abcdef';

t.test('/metrics does not exist unless METRICS_TOKEN is set', async (t) => {
  const app = await build(t);
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
  t.equal(app.services.metrics, null, 'and nothing is counted');
});

t.test('/metrics answers only the bearer of METRICS_TOKEN, in Prometheus text format', async (t) => {
  const app = await build(t, { config: { metricsToken: TOKEN } });
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401, 'no token');
  t.equal(
    (await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } }))
      .statusCode,
    401,
    'a wrong token',
  );
  t.equal(
    (await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: TOKEN } })).statusCode,
    401,
    'the token without the Bearer scheme',
  );

  await app.inject({ method: 'GET', url: '/healthz' });
  await app.inject({ method: 'GET', url: '/staff/applications/6d1f0c52-3b8e-4f7a-9c21-5e8d7a4b2f10' });
  await app.inject({ method: 'GET', url: '/v2.0/user/me' }); // an emulator call without a token: refused with a KFTC code
  await app.services.testbedRequestLog.flush();

  const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  t.equal(res.headers['cache-control'], 'no-store');
  t.match(
    res.body,
    'portal_http_requests_total{method="GET",route="/healthz",status="200"} 1',
    'answers are counted by route pattern and status',
  );
  t.match(res.body, 'route="/staff/applications/:id"', 'paths with ids are labelled by their pattern');
  t.notMatch(res.body, '6d1f0c52-3b8e-4f7a-9c21-5e8d7a4b2f10', 'never by the id itself');
  t.match(
    res.body,
    /portal_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/healthz",status="200"\}/,
    'with a latency histogram',
  );
  t.match(
    res.body,
    /testbed_answers_total\{api="[^"]+",rsp_code="[A-Z]\d{4}"\} 1/,
    'emulator answers by API and rsp_code',
  );
  t.match(res.body, /testbed_request_log_batch_rows_count \d+/, 'request-log write batches');
  t.match(res.body, /nodejs_eventloop_lag_seconds/, 'event-loop delay');
  t.notMatch(res.body, TOKEN, 'the token is never in the output');
});

t.test('a METRICS_TOKEN shorter than 16 characters is refused at start-up', async (t) => {
  t.throws(
    () => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short' } as NodeJS.ProcessEnv),
    /METRICS_TOKEN, when set, must be at least 16 characters/,
  );
  t.equal(loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: TOKEN } as NodeJS.ProcessEnv).metricsToken, TOKEN);
});
