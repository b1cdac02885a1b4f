// Ledger rows get time-ordered UUID v7 ids (src/db/ids.ts): valid UUIDs of version 7 and variant 10,
// unique, carrying the creation millisecond, and each one greater than the one before it, also within one
// millisecond and when the clock steps back.
import t from 'tap';
import { isUuid, randomId, timeOrderedId } from '../../src/db/ids';

t.test('timeOrderedId gives UUID v7s that sort in the order they were made, with no duplicates', async (t) => {
  const before = Date.now();
  const ids = Array.from({ length: 50_000 }, () => timeOrderedId());
  const after = Date.now();
  t.ok(ids.every(isUuid), 'every id is a lowercase UUID');
  t.ok(
    ids.every((id) => id[14] === '7'),
    'version 7',
  );
  t.ok(
    ids.every((id) => '89ab'.includes(id[19]!)),
    'variant 10',
  );
  t.equal(new Set(ids).size, ids.length, 'no duplicates among 50,000 made in a tight loop (thousands per millisecond)');
  t.ok(
    ids.every((id, i) => i === 0 || id > ids[i - 1]!),
    'each id compares greater than the previous one, as a string',
  );
  const ms = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  t.ok(ms(ids[0]!) >= before, 'the first id carries its creation millisecond');
  t.ok(
    ms(ids[ids.length - 1]!) <= after,
    'and the last one no later than the clock (the counter never ran out within a millisecond)',
  );
  const random = new Set(ids.map((id) => id.replace(/-/g, '').slice(22)));
  t.ok(random.size > ids.length * 0.99, 'the last 40 bits, after the counter, are random: they differ between ids');
});

t.test('timeOrderedId stays ordered when the clock goes back', async (t) => {
  const real = Date.now;
  const first = timeOrderedId();
  Date.now = () => real() - 60_000;
  t.teardown(() => {
    Date.now = real;
  });
  const later = Array.from({ length: 5000 }, () => timeOrderedId());
  t.ok(
    later.every((id, i) => id > (i === 0 ? first : later[i - 1]!)),
    'every id after the step back still sorts after the earlier ones',
  );
});

t.test('random ids (the ones that appear in URLs) stay UUID v4', async (t) => {
  const id = randomId();
  t.ok(isUuid(id));
  t.equal(id[14], '4');
});
