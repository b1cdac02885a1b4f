// Rule: a conformance checklist is judged again whenever the request-log rows it is judged from changed. The
// verdicts depend only on the organization, the instant testing began, the requested APIs and the organization's
// calls since then; the request log's stamp of exactly those rows (count and highest seq, `evidenceStamp`)
// changes with every row added or removed (see its comment), so a result is reused while a fresh read of the
// stamp equals the one its rows were read with. Each evidence statement carries the stamp of the rows it read
// (`evidenceBatchStamped`); a result is kept only when every round of its judgement read under the same stamp.
// No stamp (PostgreSQL): nothing is kept and every view is judged afresh, with no extra query.
import type { RequestLogQueries } from '../testbed/common/request-log-queries';
import { evaluateConformance, type ConformanceResult } from './conformance';

/** Checklists kept per app instance (the least recently used one goes first). */
const MAX_ENTRIES = 500;

type Reader = Pick<RequestLogQueries, 'evidenceBatchStamped' | 'evidenceStamp'>;
type Input = Parameters<typeof evaluateConformance>[1];

export function createConformanceCache(reader: Reader) {
  const kept = new Map<string, { stamp: string; result: ConformanceResult }>();
  return async function conformanceOf(input: Input): Promise<ConformanceResult> {
    const key = `${input.organizationId}\u0000${input.since}\u0000${input.requestedApis.join(',')}`;
    const hit = kept.get(key);
    // The entry stays while its stamp is read: views arriving meanwhile check it too instead of judging afresh.
    if (hit && (await reader.evidenceStamp(input.organizationId, input.since)) === hit.stamp) {
      if (kept.get(key) === hit) {
        kept.delete(key);
        kept.set(key, hit);
      }
      return copyOf(hit.result);
    }
    const stamps: (string | null)[] = [];
    const judged = await evaluateConformance(
      {
        async evidenceBatch(organizationId, criteria) {
          const { rows, stamp } = await reader.evidenceBatchStamped(organizationId, criteria, input.since);
          stamps.push(stamp);
          return rows;
        },
      },
      input,
    );
    const stamp = stamps[0];
    if (typeof stamp === 'string' && stamps.every((s) => s === stamp)) {
      kept.delete(key);
      kept.set(key, { stamp, result: copyOf(judged) });
      if (kept.size > MAX_ENTRIES) kept.delete(kept.keys().next().value!);
    }
    return judged;
  };
}

/** Callers get their own copy: nothing they do to it reaches the kept result. */
function copyOf(r: ConformanceResult): ConformanceResult {
  return {
    complete: r.complete,
    since: r.since,
    scenarios: r.scenarios.map((s) => ({ key: s.key, status: s.status, evidence: [...s.evidence] })),
  };
}
