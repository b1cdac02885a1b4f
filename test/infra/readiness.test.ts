import t from 'tap';
import { build } from '../helpers/build';
import { createReadiness } from '../../src/ops/readiness';

t.test('/readyz: ready when the database answers and its schema is current', async (t) => {
  const app = await build(t);
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ready' });
  t.equal(res.headers['x-content-type-options'], 'nosniff', 'with the security headers');
});

t.test('/readyz: 503 while a migration this code has is not in the database', async (t) => {
  const app = await build(t);
  const last = await app.db('knex_migrations').orderBy('id', 'desc').first('name');
  await app.db('knex_migrations').where({ name: last.name }).delete();
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(res.statusCode, 503);
  t.same(res.json(), { status: 'migrations_pending', pending: [last.name.replace(/\.(ts|js)$/, '')] });
  t.equal(
    (await app.inject({ method: 'GET', url: '/healthz' })).statusCode,
    200,
    'while /healthz (alive) still answers',
  );
});

t.test('/readyz: 503 when the database does not answer', async (t) => {
  const app = await build(t);
  await app.db.destroy();
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(res.statusCode, 503);
  t.same(res.json(), { status: 'database_unreachable' });
});

t.test('once draining, readiness fails whatever the database says', async (t) => {
  const app = await build(t);
  const r = createReadiness(app.db);
  t.same(await r.check(), { ready: true, body: { status: 'ready' } });
  r.markDraining();
  t.same(await r.check(), { ready: false, body: { status: 'draining' } });
});

t.test('a graceful close stops /readyz from saying ready: the load balancer sends nothing new', async (t) => {
  const app = await build(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/readyz`;
  t.equal((await fetch(url)).status, 200, 'ready while serving');
  const closing = app.close();
  const during = await fetch(url).then(
    (res) => res.status,
    () => 'refused',
  );
  t.not(during, 200, `while closing: ${during}`);
  await closing;
});
