// Rule (separation of duties): no person decides two different stages of one application, admins included,
// and nobody who acted for the applicant (created or submitted it, sent its testing report, signed its contract) ever
// decides any of its stages. Deciding the same stage again (request changes, then approve) is allowed.
// A deployment too small for two deciders may lift the first half with STAFF_MAY_DECIDE_SEVERAL_STAGES=true;
// the second half cannot be lifted. The facts come from the audit trail, which every transition writes.
import type { Runner } from '../db/knex';
import type { Stage, WorkflowEvent } from './state-machine';

/** Staff events that decide a stage (claiming is not a decision, but a refused decider may not claim either). */
export const DECIDING_EVENTS: readonly WorkflowEvent[] = ['approve', 'request_changes', 'reject', 'countersign'];
const DECIDED_AUDIT_EVENTS = [
  'application.approved',
  'application.changes_requested',
  'application.rejected',
  'application.countersigned',
];
const APPLICANT_AUDIT_EVENTS = ['application.created', 'application.submitted', 'application.signed'];

export type DutyViolation = { kind: 'applicant' } | { kind: 'decided_other_stage'; stage: Stage };

export interface PastAct {
  event: string;
  fromState: string | null;
}

/** Pure: whether someone whose past acts on this application are `acts` may decide `stage` now. */
export function dutyViolation(
  acts: readonly PastAct[],
  stage: Stage,
  opts: { severalStagesAllowed: boolean },
): DutyViolation | null {
  if (acts.some((a) => APPLICANT_AUDIT_EVENTS.includes(a.event))) return { kind: 'applicant' };
  if (opts.severalStagesAllowed) return null;
  for (const a of acts) {
    if (!DECIDED_AUDIT_EVENTS.includes(a.event) || !a.fromState) continue;
    const decided = a.fromState.split(':')[0] as Stage;
    if (decided !== stage) return { kind: 'decided_other_stage', stage: decided };
  }
  return null;
}

/** What this person did to this application that the rule cares about, oldest first. */
export async function pastActs(db: Runner, applicationId: string, userId: string): Promise<PastAct[]> {
  const rows = await db('audit_events')
    .where({ application_id: applicationId, actor_user_id: userId })
    .whereIn('event', [...DECIDED_AUDIT_EVENTS, ...APPLICANT_AUDIT_EVENTS])
    .orderBy('seq', 'asc')
    .select<{ event: string; from_state: string | null }[]>('event', 'from_state');
  return rows.map((r) => ({ event: r.event, fromState: r.from_state }));
}
