import { createVerifier, createSigner } from 'fast-jwt';
import knexFactory from 'knex';
(async () => {
  const key = 'k'.repeat(64);
  const sign = createSigner({ key, algorithm: 'HS256', noTimestamp: true });
  const tok = sign({ aud: '1100000001', scope: ['inquiry'], iss: 'x', exp: Math.floor(Date.now() / 1000) + 1000, jti: 'abc' });
  for (const cache of [false, 10000] as const) {
    const verify = createVerifier({ key, algorithms: ['HS256'], ignoreExpiration: true, ignoreNotBefore: true, cache, cacheTTL: 600000 });
    const N = 20000; const t0 = performance.now();
    for (let i = 0; i < N; i++) verify(tok);
    console.log('verify cache', cache, ((performance.now() - t0) / N * 1000).toFixed(1), 'us');
  }
  const db = knexFactory({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  await db.schema.createTable('a', (t) => { t.string('jti').primary(); t.string('set_id'); });
  await db.schema.createTable('b', (t) => { t.string('id').primary(); t.string('status'); });
  await db('a').insert({ jti: 'abc', set_id: 's' }); await db('b').insert({ id: 's', status: 'active' });
  let N = 3000; let t0 = performance.now();
  for (let i = 0; i < N; i++) await db('a as t').join('b as c', 'c.id', 't.set_id').where('t.jti', 'abc').first('t.jti', 'c.status as st');
  console.log('join', ((performance.now() - t0) / N * 1000).toFixed(0), 'us');
  t0 = performance.now();
  for (let i = 0; i < N; i++) await db.raw('select t.jti, c.status from a t join b c on c.id = t.set_id where t.jti = ?', ['abc']);
  console.log('raw', ((performance.now() - t0) / N * 1000).toFixed(0), 'us');
  await db.destroy();
})();
(async () => {
  await new Promise((r) => setTimeout(r, 3000));
  const db = knexFactory({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  await db.schema.createTable('a', (t) => { t.string('jti').primary(); t.string('set_id'); });
  await db.schema.createTable('b', (t) => { t.string('id').primary(); t.string('status'); });
  await db('a').insert({ jti: 'abc', set_id: 's' }); await db('b').insert({ id: 's', status: 'active' });
  for (let round = 0; round < 2; round++) {
    const N = 3000;
    let t0 = performance.now();
    for (let i = 0; i < N; i++) await db('a').where('jti', 'abc').first();
    console.log('simple', ((performance.now() - t0) / N * 1000).toFixed(0), 'us');
    t0 = performance.now();
    for (let i = 0; i < N; i++) await db('a as t').join('b as c', 'c.id', 't.set_id').where('t.jti', 'abc').first('t.jti', 'c.status as st');
    console.log('join', ((performance.now() - t0) / N * 1000).toFixed(0), 'us');
  }
  await db.destroy();
})();
