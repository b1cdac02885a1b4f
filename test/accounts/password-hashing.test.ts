// test/helpers/build.ts lowers the cost for the whole process, and other test files may share this process
// (test/helpers/shard.ts): this file checks the production cost, then puts the cheap one back.
import t from 'tap';
import { hashPassword, useCheapPasswordHashesForTests, verifyPassword } from '../../src/accounts/password-hashing';

t.before(() => useCheapPasswordHashesForTests(false));
t.teardown(() => useCheapPasswordHashesForTests());

t.test('passwords are stored as salted scrypt hashes at the production cost (N=16384, r=8, p=1)', async (t) => {
  const a = await hashPassword('correct horse 1');
  const b = await hashPassword('correct horse 1');
  t.match(a, /^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  t.not(a, b, 'a fresh salt each time');
  t.ok(await verifyPassword('correct horse 1', a));
  t.notOk(await verifyPassword('correct horse 2', a));
  t.notOk(await verifyPassword('correct horse 1', 'bcrypt$whatever'), 'an unknown format never verifies');
});

t.test('the cheaper test cost is refused in production, and hashes of either cost verify', async (t) => {
  const production = await hashPassword('pw-1');
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    t.throws(() => useCheapPasswordHashesForTests(), /test suites only/);
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
  t.match(await hashPassword('pw-1'), /^scrypt\$16384\$/, 'still the production cost');
  useCheapPasswordHashesForTests();
  const cheap = await hashPassword('pw-1');
  t.match(cheap, /^scrypt\$1024\$/);
  t.ok(await verifyPassword('pw-1', cheap));
  t.ok(await verifyPassword('pw-1', production), 'the cost is read from the stored hash');
});
