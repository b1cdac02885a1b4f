// Successful calls per organization, KST day and API (read by manage/count and manage/fee). Counts are
// buffered in memory and written in one small batch, so an inquiry never waits for a counter update;
// readers call flush() first.
import type { Knex } from 'knex';
import type { ServicesRepository } from './repository';

export function createCallCounter(deps: { db: Knex; repo: ServicesRepository; flushAfterMs?: number }) {
  let pending = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.size === 0) return writing;
    const batch = pending;
    pending = new Map();
    const rows = [...batch].map(([key, cnt]) => {
      const [organization_id, usage_date, api] = key.split('|') as [string, string, string];
      return { organization_id, usage_date, api, cnt };
    });
    // Usually one statement (a multi-row upsert); more than one batch runs in a transaction.
    const write =
      rows.length <= 200
        ? () => deps.repo.incrementCounts(deps.db, rows)
        : () => deps.db.transaction((trx) => deps.repo.incrementCounts(trx, rows));
    writing = writing.then(write).catch(() => {
      // Statistics only: a failed batch (e.g. the database closing) must never fail a request.
    });
    return writing;
  }

  return {
    add(organizationId: string, usageDate: string, api: string, n = 1): void {
      const key = `${organizationId}|${usageDate}|${api}`;
      pending.set(key, (pending.get(key) ?? 0) + n);
      if (!timer) {
        timer = setTimeout(() => void flush(), deps.flushAfterMs ?? 250);
        timer.unref();
      }
    },
    flush,
  };
}
