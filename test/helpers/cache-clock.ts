// The clock the per-process caches age by (performance.now: src/http/session-row-cache.ts), stopped or moved by
// a test, so a cached row cannot expire by accident while a test proves that a change emptied the cache, and so
// a test can pass a cache's time bound without sleeping.
import type { TestContext } from './build';

/** Stops performance.now for this test (restored at its end); `pass(ms)` moves it forward. */
export function stopCacheClock(t: TestContext): { pass(ms: number): void } {
  const original = performance.now;
  // A whole number, so that moving it by whole milliseconds is exact (ages compare with >= at the bound).
  let at = Math.ceil(performance.now());
  performance.now = () => at;
  t.teardown(() => {
    performance.now = original;
  });
  return {
    pass(ms: number) {
      at += ms;
    },
  };
}
