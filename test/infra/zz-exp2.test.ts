import t from 'tap';
import type { Runner } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { createSharedTestDb } from '../helpers/db';
async function nextClientUseCodeNumber(run: Runner, year: number): Promise<number> {
  const rows = await run('client_use_code_counters')
    .insert({ year, last_value: 1 })
    .onConflict('year')
    .merge({ last_value: run.raw('?? + 1', ['client_use_code_counters.last_value']) })
    .returning('last_value');
  const first = (rows as unknown as ({ last_value: number | string } | number)[])[0];
  return Number(typeof first === 'object' && first !== null ? first.last_value : first);
}
t.test('exp', async (t) => {
  const shared = await createSharedTestDb();
  t.teardown(shared.dispose);
  const pools = [shared.open(), shared.open()];
  await migrateLatest(pools[0]!);
  const r = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => pools[i % 2]!.transaction((trx) => nextClientUseCodeNumber(trx, 2031))));
  t.same(r.map((x) => x.status === 'fulfilled' ? x.value : String(x.reason)).sort(), [1, 2, 3, 4, 5, 6]);
});
