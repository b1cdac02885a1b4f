// Stage 3 evidence gate: may the applicant submit its test completion report, and may a reviewer sign
// testing off? Only when every scenario the requested APIs require has passed in the test bed
// (./conformance.ts, judged from the emulator's request log since the application entered testing).
import type { Knex } from 'knex';
import type { RequestLogQueries } from '../testbed/common/request-log-queries';
import { loadApplicationRecord, readTypedAnswers, type ApplicationRecord } from '../onboarding/service';
import type { ConformanceResult } from './conformance';
import { createConformanceCache } from './conformance-cache';

/**
 * null when the application does not exist. `known`: the application's record as the caller already loaded it
 * (the review pages do), so the row, its answers and its versions are not read again.
 */
export type TestingEvidenceGate = (
  applicationId: string,
  known?: ApplicationRecord,
) => Promise<ConformanceResult | null>;

export function createConformanceGate(deps: {
  db: Knex;
  requests: Pick<RequestLogQueries, 'evidenceBatchStamped' | 'evidenceStamp'>;
}): TestingEvidenceGate {
  // Judged again only when the request-log rows it is judged from changed (./conformance-cache.ts).
  const conformanceOf = createConformanceCache(deps.requests);
  return async (applicationId, known) => {
    const record =
      known && known.application.id === applicationId ? known : await loadApplicationRecord(deps.db, applicationId);
    if (!record) return null;
    // The APIs of the latest submitted version (what suitability approved), else the current answers.
    const latest = record.versions.reduce<(typeof record.versions)[number] | null>(
      (m, v) => (!m || v.version > m.version ? v : m),
      null,
    );
    const requestedApis = readTypedAnswers(latest?.answers ?? record.answers).apis;
    const a = record.application;
    // Calls count from the moment the application entered testing (earlier ones are not its stage-3 evidence).
    const since =
      a.stage === 'testing'
        ? a.stage_entered_at
        : ((await testingEnteredAt(deps.db, applicationId)) ?? a.stage_entered_at);
    return conformanceOf({ organizationId: a.organization_id, since, requestedApis });
  };
}

/** For an application past testing: when it entered testing (the audit event of that transition). */
async function testingEnteredAt(db: Knex, applicationId: string): Promise<string | null> {
  const row = await db('audit_events')
    .where({ application_id: applicationId })
    .andWhere('to_state', 'like', 'testing:%')
    .andWhere('from_state', 'not like', 'testing:%')
    .orderBy('created_at', 'desc')
    .first('created_at');
  return (row?.created_at as string | undefined) ?? null;
}
