// Smart batching (the "group commit" of databases): work submitted while a batch is running waits and goes
// in the next batch, all of it in one database round trip. With no load a request runs alone, right after
// the current turn of the event loop; under load a batch grows with the number of concurrent requests, so
// many requests share one statement (and, for writes, one commit) instead of queueing behind each other on
// the single SQLite connection. Nothing is answered from memory: every batch reads or writes the database
// after its requests arrived, so a batch never serves a request a state older than the request itself.
export interface Batcher<I, O> {
  /** Queues one item; resolves with its own result, or rejects with its own error. */
  submit(item: I): Promise<O>;
  /** Resolves once nothing is queued or running (tests, shutdown). */
  drain(): Promise<void>;
}

/** The outcome of one item: its value, or an error that rejects only that item's promise. */
export type ItemOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * `runBatch` receives the queued items in submission order and returns one outcome per item, in the same
 * order. If it throws, every item of that batch is rejected with the error. At most one batch runs at a
 * time; at most `maxBatch` items go in one (the rest wait for the next).
 */
export function createBatcher<I, O>(
  runBatch: (items: I[]) => Promise<ItemOutcome<O>[]>,
  opts: { maxBatch?: number } = {},
): Batcher<I, O> {
  const maxBatch = opts.maxBatch ?? 64;
  let queue: Pending<I, O>[] = [];
  let running = false;
  let scheduled = false;
  let idle: (() => void)[] = [];

  function schedule(): void {
    if (scheduled || running || queue.length === 0) return;
    scheduled = true;
    // setImmediate, not a microtask: requests parsed in the same I/O phase all join this batch.
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  }

  async function flush(): Promise<void> {
    if (running || queue.length === 0) return;
    running = true;
    const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
    queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
    try {
      const outcomes = await runBatch(batch.map((p) => p.item));
      if (outcomes.length !== batch.length)
        throw new Error(`batch returned ${outcomes.length} outcomes for ${batch.length} items`);
      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      running = false;
      if (queue.length > 0) schedule();
      else {
        const waiting = idle;
        idle = [];
        for (const w of waiting) w();
      }
    }
  }

  return {
    submit(item: I): Promise<O> {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    drain(): Promise<void> {
      if (!running && !scheduled && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}

/**
 * Runs independent statements of one transaction together (no round trip through the event loop between
 * them) and waits for ALL of them to settle before reporting the first failure: a transaction must not be
 * rolled back while some of its statements are still running.
 */
export async function together<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
