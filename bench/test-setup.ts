// npx tsx bench/test-setup.ts — what the test suite's set-up costs per test app, old way against new, in
// the same run: a fresh in-memory database migrated from scratch against one copied from the migrated
// template (test/helpers/db.ts), and a password hash at the production scrypt cost against the test
// cost (src/accounts/password-hashing.ts). BENCH_SETUP_ROUNDS (default 20) rounds each, interleaved.
import { createSharedTestDb, copyMigratedSchema } from '../test/helpers/db';
import { migrateLatest } from '../src/db/migrate';
import { hashPassword, verifyPassword, useCheapPasswordHashesForTests } from '../src/accounts/password-hashing';

const ROUNDS = Number(process.env.BENCH_SETUP_ROUNDS ?? 20);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function freshDb(prepare: (db: import('knex').Knex) => Promise<void>): Promise<number> {
  const shared = await createSharedTestDb({ sqliteInMemory: true });
  try {
    const db = shared.open();
    return await timed(() => prepare(db));
  } finally {
    await shared.dispose();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function main() {
  const migrate: number[] = [],
    copy: number[] = [];
  await freshDb(migrateLatest);
  await freshDb(copyMigratedSchema); // load modules, make the template
  for (let i = 0; i < ROUNDS; i++) {
    migrate.push(await freshDb(migrateLatest));
    copy.push(await freshDb(copyMigratedSchema));
  }
  const prodStored = await hashPassword('bench-password-1');
  const prod: number[] = [];
  for (let i = 0; i < ROUNDS; i++)
    prod.push(
      await timed(async () => {
        await hashPassword('bench-password-1');
        await verifyPassword('bench-password-1', prodStored);
      }),
    );
  useCheapPasswordHashesForTests();
  const cheapStored = await hashPassword('bench-password-1');
  const cheap: number[] = [];
  for (let i = 0; i < ROUNDS; i++)
    cheap.push(
      await timed(async () => {
        await hashPassword('bench-password-1');
        await verifyPassword('bench-password-1', cheapStored);
      }),
    );
  const row = (name: string, xs: number[], base: number[]) =>
    console.log(
      `${name.padEnd(44)} median ${median(xs).toFixed(1).padStart(7)} ms   ${((median(xs) / median(base)) * 100).toFixed(1).padStart(6)} % of the old way`,
    );
  console.log(
    `test set-up, ${ROUNDS} rounds each, load average ${require('node:os')
      .loadavg()
      .map((x: number) => x.toFixed(1))
      .join(' ')}`,
  );
  row('database: migrate from scratch (old)', migrate, migrate);
  row('database: copy the migrated template (new)', copy, migrate);
  row('sign-up + sign-in hashes, N=16384 (old)', prod, prod);
  row('sign-up + sign-in hashes, N=1024 (tests)', cheap, prod);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
