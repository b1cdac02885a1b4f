// The onboarding workflow as data plus one pure function. No I/O here: the workflow service persists a
// decision with a compare-and-set update, so a state change between read and write can never grant.
//
// Auto-claim: staff may decide (approve / request_changes / reject / countersign) from `submitted` as well
// as from `in_review`; deciding straight from `submitted` claims the item implicitly (the service records
// claimed_by). `claim` itself is only for signalling "I am working on this" in the queue.
//
// `approved` is a valid status value but no row leads to it: approving a stage moves the application to
// the next stage's `in_progress`. Stage summaries derive "approved" for stages that lie behind.

export const STAGES = ['application', 'suitability', 'testing', 'security', 'contract', 'live'] as const;
export type Stage = (typeof STAGES)[number];

export const STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'changes_requested',
  'in_progress',
  'approved',
  'rejected',
  'withdrawn',
  'live',
] as const;
export type Status = (typeof STATUSES)[number];

export interface WorkflowState {
  stage: Stage;
  status: Status;
}

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
export type RoleName = 'applicant' | 'owner' | 'reviewer' | 'inspector' | 'contract_officer' | 'admin' | 'system';

/** Guards are named so the table stays data; their facts come from the caller's context. */
export type GuardName = 'checklist_all_pass_or_na' | 'no_open_critical_or_high_findings';

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

/** The staff role that works each reviewed stage (admin may always act as staff). */
export const STAGE_STAFF_ROLE: Readonly<Record<'suitability' | 'testing' | 'security' | 'contract', RoleName>> = {
  suitability: 'reviewer',
  testing: 'reviewer',
  security: 'inspector',
  contract: 'contract_officer',
};

const TERMINAL_STATUSES: readonly Status[] = ['rejected', 'withdrawn', 'live'];

export function isTerminal(state: WorkflowState): boolean {
  return state.stage === 'live' || TERMINAL_STATUSES.includes(state.status);
}

const s = (stage: Stage, status: Status): WorkflowState => ({ stage, status });

function buildTable(): TransitionRow[] {
  const rows: TransitionRow[] = [];
  const reviewedStages = ['suitability', 'testing', 'security', 'contract'] as const;

  // submit — the applicant hands a stage to staff.
  rows.push({
    from: s('application', 'draft'),
    event: 'submit',
    to: s('suitability', 'submitted'),
    roles: ['applicant'],
  });
  rows.push({
    from: s('suitability', 'changes_requested'),
    event: 'submit',
    to: s('suitability', 'submitted'),
    roles: ['applicant'],
  });
  for (const stage of ['testing', 'security'] as const) {
    for (const from of ['in_progress', 'changes_requested'] as const) {
      rows.push({ from: s(stage, from), event: 'submit', to: s(stage, 'submitted'), roles: ['applicant'] });
    }
  }

  // claim, request_changes, reject — by the stage's staff role (or admin), from submitted (auto-claim) or in_review.
  for (const stage of reviewedStages) {
    const staff: RoleName[] = [STAGE_STAFF_ROLE[stage], 'admin'];
    rows.push({ from: s(stage, 'submitted'), event: 'claim', to: s(stage, 'in_review'), roles: staff });
    for (const from of ['submitted', 'in_review'] as const) {
      rows.push({ from: s(stage, from), event: 'request_changes', to: s(stage, 'changes_requested'), roles: staff });
      rows.push({ from: s(stage, from), event: 'reject', to: s(stage, 'rejected'), roles: staff });
    }
  }

  // approve — moves to the next stage.
  for (const from of ['submitted', 'in_review'] as const) {
    rows.push({
      from: s('suitability', from),
      event: 'approve',
      to: s('testing', 'in_progress'),
      roles: ['reviewer', 'admin'],
      guards: ['checklist_all_pass_or_na'],
    });
    rows.push({
      from: s('testing', from),
      event: 'approve',
      to: s('security', 'in_progress'),
      roles: ['reviewer', 'admin'],
    });
    rows.push({
      from: s('security', from),
      event: 'approve',
      to: s('contract', 'in_progress'),
      roles: ['inspector', 'admin'],
      guards: ['no_open_critical_or_high_findings'],
    });
  }

  // contract — the owner signs (again after changes were requested), the contract officer countersigns.
  for (const from of ['in_progress', 'changes_requested'] as const) {
    rows.push({ from: s('contract', from), event: 'sign', to: s('contract', 'submitted'), roles: ['owner'] });
  }
  for (const from of ['submitted', 'in_review'] as const) {
    rows.push({
      from: s('contract', from),
      event: 'countersign',
      to: s('live', 'live'),
      roles: ['contract_officer', 'admin'],
    });
  }

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

export type DecisionFailure = 'not_allowed_from_state' | 'role' | 'guard';
export type Decision =
  | { ok: true; to: WorkflowState; row: TransitionRow }
  | { ok: false; reason: DecisionFailure; currentState: WorkflowState; guard?: GuardName };

export function roleMatches(roles: readonly RoleName[], actor: WorkflowActor): boolean {
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

export function sameState(a: WorkflowState, b: WorkflowState): boolean {
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
