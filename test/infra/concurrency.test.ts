// What several instances do at the same moment on PostgreSQL, where transactions really run in parallel.
// On SQLite (one instance, one connection: transactions are serialised) the same checks run against a
// single instance. Each check states a rule another module relies on.
import t from 'tap';
import { createCredentialsRepository } from '../../src/credentials/repository';
import { migrateLatest } from '../../src/db/migrate';
import { createSharedTestDb } from '../helpers/db';
import { sharedDatabaseInstances } from '../helpers/instances';
import { ALL_DECLARATIONS, fillAllSections, startApplication } from '../helpers/onboarding';
import { signUp } from '../helpers/build';

/** Several instances share PostgreSQL; a SQLite file serves one instance (two would get SQLITE_BUSY). */
const INSTANCES = process.env.DATABASE_URL?.startsWith('postgres') ? 2 : 1;

t.test('applications submitted at the same moment on two instances get distinct reference numbers', async (t) => {
  const instances = await sharedDatabaseInstances(t);
  const apps = [];
  for (let i = 0; i < INSTANCES; i++) apps.push(await instances.start());
  const drafts = [];
  for (let i = 0; i < 4; i++) {
    const browser = await signUp(apps[i % apps.length]!, {
      email: `owner${i}@race.example`,
      organization: `경쟁핀테크${i}`,
    });
    const id = await startApplication(browser);
    await fillAllSections(browser, id);
    const token = await browser.csrfToken(`/applications/${id}/check`);
    drafts.push({ browser, id, token });
  }
  // The first submissions of the year, all at once: the year's counter row does not exist yet.
  const results = await Promise.all(
    drafts.map((d) =>
      d.browser.post(`/applications/${d.id}/submit`, { ...ALL_DECLARATIONS, _csrf: d.token }, { csrf: false }),
    ),
  );
  t.same(
    results.map((r) => r.statusCode),
    [303, 303, 303, 303],
    'every submission succeeds',
  );
  const refs = (
    await apps[0]!
      .db('applications')
      .whereIn(
        'id',
        drafts.map((d) => d.id),
      )
      .pluck('reference')
  ).sort();
  t.equal(refs.length, 4);
  t.equal(new Set(refs).size, 4, `no reference is given twice: ${refs.join(', ')}`);
  t.same(
    refs.map((r: string) => Number(r.slice(-6))),
    [1, 2, 3, 4],
    'and none is skipped',
  );
});

t.test('이용기관코드 numbers taken at the same moment by several instances are distinct', async (t) => {
  const shared = await createSharedTestDb();
  t.teardown(shared.dispose);
  const pools = Array.from({ length: INSTANCES }, () => shared.open());
  await migrateLatest(pools[0]!);
  const repo = createCredentialsRepository();
  // The first numbers of a year: the counter row does not exist yet, so nothing can be locked.
  const taken = await Promise.allSettled(
    Array.from({ length: 6 }, (_, i) =>
      pools[i % pools.length]!.transaction((trx) => repo.nextClientUseCodeNumber(trx, 2031)),
    ),
  );
  const failures = taken.flatMap((r) =>
    r.status === 'rejected' ? [String((r.reason as Error).message).slice(0, 200)] : [],
  );
  t.same(failures, [], 'no transaction fails');
  const numbers = taken.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])).sort((x, y) => x - y);
  t.same(numbers, [1, 2, 3, 4, 5, 6], 'each number is handed out once, none skipped');
});
