import t from 'tap';
import { createBatcher, type ItemOutcome } from '../../src/db/batcher';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

t.test('items submitted while a batch runs go together in the next batch, each getting its own result', async (t) => {
  const batches: number[][] = [];
  const gates: ReturnType<typeof deferred<void>>[] = [];
  const b = createBatcher<number, number>(async (items) => {
    batches.push(items);
    const gate = deferred<void>();
    gates.push(gate);
    await gate.promise;
    return items.map((i) => ({ ok: true as const, value: i * 10 }));
  });
  const first = b.submit(1);
  await new Promise((r) => setImmediate(r));
  t.same(batches, [[1]], 'with nothing running, one item runs alone after the current turn');
  const later = [b.submit(2), b.submit(3), b.submit(4)];
  await new Promise((r) => setImmediate(r));
  t.same(batches, [[1]], 'nothing else starts while a batch runs');
  gates[0]!.resolve();
  t.equal(await first, 10);
  await new Promise((r) => setImmediate(r));
  t.same(batches, [[1], [2, 3, 4]], 'the waiting items form the next batch, in submission order');
  gates[1]!.resolve();
  t.same(await Promise.all(later), [20, 30, 40]);
  await b.drain();
});

t.test('one item failing rejects only that item; a failing batch rejects all of its items', async (t) => {
  let fail = false;
  const b = createBatcher<number, number>(async (items): Promise<ItemOutcome<number>[]> => {
    if (fail) throw new Error('database gone');
    return items.map((i) =>
      i < 0 ? { ok: false as const, error: new RangeError(`negative ${i}`) } : { ok: true as const, value: i },
    );
  });
  const results = await Promise.allSettled([b.submit(1), b.submit(-2), b.submit(3)]);
  t.same(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  t.match((results[1] as PromiseRejectedResult).reason, { message: 'negative -2' });
  fail = true;
  const failed = await Promise.allSettled([b.submit(4), b.submit(5)]);
  t.same(
    failed.map((r) => r.status === 'rejected' && (r.reason as Error).message),
    ['database gone', 'database gone'],
  );
  fail = false;
  t.equal(await b.submit(6), 6, 'and the batcher keeps working afterwards');
});

t.test('a batch never holds more than maxBatch items; the rest follow in order', async (t) => {
  const sizes: number[] = [];
  const b = createBatcher<number, number>(
    async (items) => {
      sizes.push(items.length);
      return items.map((i) => ({ ok: true as const, value: i }));
    },
    { maxBatch: 4 },
  );
  const out = await Promise.all(Array.from({ length: 10 }, (_, i) => b.submit(i)));
  t.same(out, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.same(sizes, [4, 4, 2]);
});

t.test('a batch returning the wrong number of outcomes rejects its items instead of mixing answers up', async (t) => {
  const b = createBatcher<number, number>(async () => [{ ok: true as const, value: 1 }]);
  const r = await Promise.allSettled([b.submit(1), b.submit(2)]);
  t.same(
    r.map((x) => x.status),
    ['rejected', 'rejected'],
  );
});
