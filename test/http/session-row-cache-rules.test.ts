// Rule (src/http/session-row-cache.ts), on the cache alone with a real database handle: a write to a watched table
// empties it when the statement has run and again when a transaction that wrote one has ended; a row whose read
// began before such a write is not kept; reads and writes to other tables leave it as it is; rows age out.
// Runs on SQLite, and on PostgreSQL with DATABASE_URL=postgres://….
import t from 'tap';
import { SessionRowCache } from '../../src/http/session-row-cache';
import { migrateLatest } from '../../src/db/migrate';
import { createTestDb } from '../helpers/db';

t.test('the session-row cache is emptied by every write to a watched table, and only by those', async (t) => {
  const { db, dispose } = await createTestDb();
  t.teardown(dispose);
  await migrateLatest(db); // a new PostgreSQL schema is empty; the SQLite copy has nothing left to do
  let now = 1_000;
  const cache = new SessionRowCache<string>(db, ['users', 'notifications'], 2_000, () => now);
  t.teardown(() => cache.close());
  const keep = () => cache.put('sid', 'row', cache.readStarts());
  const userId = '00000000-0000-4000-8000-000000000001';

  keep();
  t.equal(cache.get('sid'), 'row', 'kept');
  await db('users').where({ id: userId }).first();
  await db('audit_events').count({ n: '*' });
  t.equal(cache.get('sid'), 'row', 'reads, of watched tables too, leave it');

  const started = cache.readStarts();
  await db('users').insert({
    id: userId,
    email: 'cache@example.test',
    name: '캐시',
    password_hash: 'x',
    disabled: false,
    created_at: new Date().toISOString(),
    password_changed_at: new Date().toISOString(),
  });
  t.equal(cache.get('sid'), undefined, 'an INSERT into a watched table empties it');
  cache.put('sid', 'stale', started);
  t.equal(cache.get('sid'), undefined, 'a row whose read began before that write is not kept');

  keep();
  await db.raw('UPDATE users SET name = ? WHERE id = ?', ['바뀜', userId]);
  t.equal(cache.get('sid'), undefined, 'a raw UPDATE empties it');

  keep();
  await db('audit_events').whereRaw('1 = 0').delete();
  t.equal(cache.get('sid'), 'row', 'a write to another table leaves it');

  await db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ name: '트랜잭션' });
    keep(); // a read during the transaction sees the row as it was before it
    t.equal(cache.get('sid'), 'row', 'kept while the transaction is open');
  });
  t.equal(cache.get('sid'), undefined, 'emptied again once the transaction that wrote a watched table has ended');

  keep();
  await db.transaction(async (trx) => {
    await trx('audit_events').whereRaw('1 = 0').delete();
  });
  t.equal(cache.get('sid'), 'row', 'a transaction that wrote no watched table leaves it');

  now += 1_999;
  t.equal(cache.get('sid'), 'row', 'inside the bound');
  now += 1;
  t.equal(cache.get('sid'), undefined, 'at the bound it is read again');

  keep();
  cache.close();
  t.equal(cache.get('sid'), undefined, 'closing empties it');
});
