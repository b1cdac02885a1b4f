// The emulator's OpenAPI document covers its whole machine-to-machine surface (token endpoint, sandbox
// shortcut, management and service APIs) and nothing of the portal or of the /api/v1 document.
import t from 'tap';
import { build } from '../../helpers/build';

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string }[]; tags?: string[] }>>;
}

t.test(
  'the emulator OpenAPI document lists authorize, the token endpoint, the sandbox shortcut and the management APIs',
  async (t) => {
    const app = await build(t);
    const res = await app.inject({ method: 'GET', url: '/docs/testbed/openapi.json' });
    t.equal(res.statusCode, 200);
    const doc = res.json() as Doc;
    t.ok(doc.paths['/oauth/2.0/token']?.post, 'POST /oauth/2.0/token documented');
    t.ok(doc.paths['/oauth/2.0/token']?.post?.requestBody, 'with its form fields');
    t.ok(doc.paths['/testbed/sandbox/authorize']?.post, 'POST /testbed/sandbox/authorize documented');
    const me = doc.paths['/v2.0/user/me']?.get;
    t.ok(me, 'GET /v2.0/user/me documented');
    t.ok(
      me?.parameters?.some((p) => p.name === 'user_seq_no'),
      'user/me names its user_seq_no parameter',
    );
    for (const path of [
      '/v2.0/account/list',
      '/v2.0/account/update_info',
      '/v2.0/account/cancel',
      '/v2.0/user/unlink',
      '/v2.0/user/close',
      '/v2.0/account/balance/fin_num',
    ]) {
      t.ok(doc.paths[path], `${path} documented`);
    }
    const paths = Object.keys(doc.paths);
    t.ok(doc.paths['/oauth/2.0/authorize']?.get, 'GET /oauth/2.0/authorize (the browser redirect) documented');
    t.notOk(
      paths.some((p) => p.startsWith('/oauth/2.0/authorize/')),
      "the authorize flow's page steps are not APIs",
    );
    t.notOk(
      paths.some((p) => p.startsWith('/api/') || p.startsWith('/docs') || p === '/'),
      'no portal or /api/v1 routes',
    );
    const api = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    t.equal(api.statusCode, 200, 'the /api/v1 document still answers');
    t.notOk(
      Object.keys(api.json().paths).some((p: string) => p.startsWith('/v2.0') || p.startsWith('/oauth')),
      'and lists no emulator route',
    );
  },
);

t.test(
  'documentation schemas never refuse an emulator request: unknown or missing token fields answer in KFTC codes',
  async (t) => {
    const app = await build(t);
    const res = await app.inject({
      method: 'POST',
      url: '/oauth/2.0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&surprise=1',
    });
    t.equal(res.statusCode, 200);
    t.same(res.json(), { rsp_code: 'O0001', rsp_message: '인증 파라미터 오류([3000103])' });
    t.match(String(res.headers['x-testbed-warning']), 'unknown field surprise');
    t.equal(res.headers['cache-control'], 'no-store');
    t.equal(res.headers['x-content-type-options'], 'nosniff');
  },
);
