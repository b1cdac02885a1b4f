// The onboarding workflow as data plus one pure function. The table is derived from the stage registry
// (stages.ts); test/workflow/state-machine.test.ts checks it against an oracle written out by hand. No I/O here: the workflow service persists a
// decision with a compare-and-set update, so a state change between read and write can never grant.
//
// Auto-claim: staff may decide (approve / request_changes / reject / countersign) from `submitted` as well
// as from `in_review`; deciding straight from `submitted` claims the item implicitly (the service records
// claimed_by). `claim` itself is only for signalling "I am working on this" in the queue.
//
// `approved` is a valid status value but no row leads to it: approving a stage moves the application to
// the next stage (stages.ts: its `entersAs`). Stage summaries derive "approved" for stages that lie behind.

import {
  STAGE_REGISTRY,
  STAGES,
  STATUSES,
  type GuardName,
  type Stage,
  type StageDefinition,
  type Status,
  type WorkflowState,
} from './stages';

export { STAGES, STATUSES, type Stage, type Status, type WorkflowState } from './stages';

export const WORKFLOW_EVENTS = [
  'submit',
  'claim',
  'approve',
  'request_changes',
  'reject',
  'withdraw',
  'sign',
  'countersign',
] as const;
export type WorkflowEvent = (typeof WORKFLOW_EVENTS)[number];

/** Who acts. Organization members are 'owner' or 'member'; staff act with their staff role. */
export const ACTOR_KINDS = ['owner', 'member', 'reviewer', 'inspector', 'contract_officer', 'admin', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
export interface WorkflowActor {
  kind: ActorKind;
}

/** Roles as written in the table: 'applicant' means any organization member (owner or member). */
type RoleName = 'applicant' | 'owner' | 'reviewer' | 'inspector' | 'contract_officer' | 'admin' | 'system';

export interface DecisionContext {
  /** Stage 2 checklist results, one per item. Missing → the checklist guard fails (fail closed). */
  checklist?: { item: string; result: 'pass' | 'fail' | 'na' | null }[];
  /** Number of the checklist items that must be present (defaults to the length of `checklist`). */
  checklistRequiredItems?: readonly string[];
  /** Stage 4: open findings with severity critical or high. Missing → the findings guard fails. */
  openCriticalOrHighFindings?: number;
}

export interface TransitionRow {
  from: WorkflowState;
  event: WorkflowEvent;
  to: WorkflowState;
  roles: readonly RoleName[];
  guards?: readonly GuardName[];
}

const TERMINAL_STATUSES: readonly Status[] = ['rejected', 'withdrawn', 'live'];

export function isTerminal(state: WorkflowState): boolean {
  return state.stage === 'live' || TERMINAL_STATUSES.includes(state.status);
}

const s = (stage: Stage, status: Status): WorkflowState => ({ stage, status });

/** Staff decide from `submitted` (auto-claim) as well as from `in_review`. */
const UNDER_REVIEW = ['submitted', 'in_review'] as const;

/** The table, derived from the stage registry (stages.ts): each stage's hand-in, staff decisions and approval. */
function buildTable(): TransitionRow[] {
  const rows: TransitionRow[] = [];
  const stages: readonly (StageDefinition & { key: Stage })[] = STAGE_REGISTRY;
  stages.forEach((def, i) => {
    const next = stages[i + 1];
    const entered = (d: StageDefinition & { key: Stage }) => s(d.key, d.entersAs);
    // The applicant hands the stage to staff (stage 1's form straight to the next stage).
    if (def.handIn) {
      const to = def.handIn.into === 'next' && next ? entered(next) : s(def.key, 'submitted');
      for (const from of def.handIn.from)
        rows.push({ from: s(def.key, from), event: def.handIn.event, to, roles: [def.handIn.by] });
    }
    if (!def.staffRole) return;
    // claim, request_changes, reject, approve — by the stage's staff role (or admin).
    const staff: RoleName[] = [def.staffRole, 'admin'];
    rows.push({ from: s(def.key, 'submitted'), event: 'claim', to: s(def.key, 'in_review'), roles: staff });
    for (const from of UNDER_REVIEW) {
      rows.push({
        from: s(def.key, from),
        event: 'request_changes',
        to: s(def.key, 'changes_requested'),
        roles: staff,
      });
      rows.push({ from: s(def.key, from), event: 'reject', to: s(def.key, 'rejected'), roles: staff });
      if (def.approval && next) {
        const guards = def.approval.guards;
        rows.push({
          from: s(def.key, from),
          event: def.approval.event,
          to: entered(next),
          roles: staff,
          ...(guards.length ? { guards } : {}),
        });
      }
    }
  });

  // withdraw — the owner may leave from any non-terminal state; the stage is kept for the record.
  for (const stage of STAGES) {
    for (const status of STATUSES) {
      const from = s(stage, status);
      if (isTerminal(from)) continue;
      rows.push({ from, event: 'withdraw', to: s(stage, 'withdrawn'), roles: ['owner'] });
    }
  }
  return rows;
}

export const TRANSITIONS: readonly TransitionRow[] = Object.freeze(buildTable());
export type Decision =
  | { ok: true; to: WorkflowState; row: TransitionRow }
  | { ok: false; reason: 'not_allowed_from_state' | 'role'; currentState: WorkflowState }
  | { ok: false; reason: 'guard'; currentState: WorkflowState; guard: GuardName };

function roleMatches(roles: readonly RoleName[], actor: WorkflowActor): boolean {
  if (roles.includes(actor.kind as RoleName)) return true;
  return roles.includes('applicant') && (actor.kind === 'owner' || actor.kind === 'member');
}

const GUARDS: Record<GuardName, (ctx: DecisionContext) => boolean> = {
  checklist_all_pass_or_na(ctx) {
    if (!ctx.checklist) return false;
    const byItem = new Map(ctx.checklist.map((c) => [c.item, c.result]));
    const required = ctx.checklistRequiredItems ?? ctx.checklist.map((c) => c.item);
    if (required.length === 0) return false;
    return required.every((item) => {
      const r = byItem.get(item);
      return r === 'pass' || r === 'na';
    });
  },
  no_open_critical_or_high_findings(ctx) {
    return typeof ctx.openCriticalOrHighFindings === 'number' && ctx.openCriticalOrHighFindings === 0;
  },
};

function sameState(a: WorkflowState, b: WorkflowState): boolean {
  return a.stage === b.stage && a.status === b.status;
}

/** Pure: may `actor` apply `event` to an application in `state`? Checks state, then role, then guards. */
export function decide(
  state: WorkflowState,
  event: WorkflowEvent,
  actor: WorkflowActor,
  context: DecisionContext = {},
): Decision {
  const row = TRANSITIONS.find((r) => r.event === event && sameState(r.from, state));
  if (!row) return { ok: false, reason: 'not_allowed_from_state', currentState: state };
  if (!roleMatches(row.roles, actor)) return { ok: false, reason: 'role', currentState: state };
  for (const guard of row.guards ?? []) {
    if (!GUARDS[guard](context)) return { ok: false, reason: 'guard', guard, currentState: state };
  }
  return { ok: true, to: row.to, row };
}

/** Events the actor could attempt now (ignoring guards), e.g. to choose which decision forms to show. */
export function availableEvents(state: WorkflowState, actor: WorkflowActor): WorkflowEvent[] {
  return TRANSITIONS.filter((r) => sameState(r.from, state) && roleMatches(r.roles, actor)).map((r) => r.event);
}

export function isStage(x: unknown): x is Stage {
  return typeof x === 'string' && (STAGES as readonly string[]).includes(x);
}
export function isStatus(x: unknown): x is Status {
  return typeof x === 'string' && (STATUSES as readonly string[]).includes(x);
}
export function isWorkflowEvent(x: unknown): x is WorkflowEvent {
  return typeof x === 'string' && (WORKFLOW_EVENTS as readonly string[]).includes(x);
}
export function formatState(state: WorkflowState): string {
  return `${state.stage}:${state.status}`;
}
