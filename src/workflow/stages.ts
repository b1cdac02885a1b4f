// The stage registry: each stage of an application described once, as data. The transition table
// (state-machine.ts), who is notified (service.ts), which sections a reviewer may send back, where each stage is
// decided (routes.ts), the applicant's task list (stage-summaries.ts, src/onboarding/task-list.ts) and the staff
// queues all follow from these entries. Pure: no I/O, no imports beyond types.
//
// Order matters: approving a stage moves the application to the next entry, entered with its `entersAs` status.

/** Where a stage can be: the same status words for every stage. */
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

/** The staff roles that decide a stage (admin may always act as any of them). */
export type DecidingRole = 'reviewer' | 'inspector' | 'contract_officer';

/** Guards are named so the table stays data; their facts come from the caller's context (state-machine.ts). */
export type GuardName = 'checklist_all_pass_or_na' | 'no_open_critical_or_high_findings';

/** Evidence the workflow service reads itself (with I/O) before a stage is handed in or approved. */
export type EvidenceCheck = 'conformance';

/** What approving a stage does besides moving on, run inside the approval's transaction (service.ts). */
export type ApprovalEffect = 'issue_sandbox_credentials';

/** Stage 1's section keys (the application form) that a suitability reviewer can send back. */
const APPLICATION_SECTIONS = [
  'company',
  'service',
  'apis',
  'technical',
  'contacts',
  'declarations',
  'documents',
] as const;
/** Parts of the test completion report a testing reviewer can send back. */
export const TESTING_SECTIONS = ['test_period', 'api_results', 'notes'] as const;

export interface StageDefinition {
  key: string;
  /** The status an application has when it enters this stage. */
  entersAs: Status;
  /** The staff role that decides this stage; null: nobody decides it (the form being filled in, live). */
  staffRole: DecidingRole | null;
  /**
   * How the applicant hands the stage to staff: the event, the statuses it may come from and who may send it.
   * `into: 'next'` hands it straight to the next stage (stage 1's form goes to suitability); else it stays here
   * as `submitted`.
   */
  handIn: {
    event: 'submit' | 'sign';
    from: readonly Status[];
    by: 'applicant' | 'owner';
    into?: 'next';
  } | null;
  /** What approving it takes (the event, the guards that must hold) and does (effects); it moves to the next stage. */
  approval: {
    event: 'approve' | 'countersign';
    guards: readonly GuardName[];
    effects: readonly ApprovalEffect[];
  } | null;
  /** Evidence read before the hand-in and the approval (refused with 409 while it is incomplete). */
  evidence: EvidenceCheck | null;
  /** The stage whose pages the applicant works on while this stage is with them (changes to suitability are made on stage 1's form). */
  applicantWorksIn: string;
  /** The applicant's page for this stage, `/applications/:id/<page>`; null: none of its own. */
  applicantPage: string | null;
  /** The staff page where this stage is decided, `/staff/applications/:id/<page>`; null: the review screen. */
  staffPage: string | null;
  /** The keys request_changes may name here; null: the deciding module passes its own (`allowedSections`). */
  changeSections: readonly string[] | null;
}

export const STAGE_REGISTRY = [
  {
    key: 'application',
    entersAs: 'draft',
    staffRole: null,
    handIn: { event: 'submit', from: ['draft'], by: 'applicant', into: 'next' },
    approval: null,
    evidence: null,
    applicantWorksIn: 'application',
    applicantPage: null,
    staffPage: null,
    changeSections: null,
  },
  {
    key: 'suitability',
    entersAs: 'submitted',
    staffRole: 'reviewer',
    handIn: { event: 'submit', from: ['changes_requested'], by: 'applicant' },
    approval: { event: 'approve', guards: ['checklist_all_pass_or_na'], effects: ['issue_sandbox_credentials'] },
    evidence: null,
    applicantWorksIn: 'application',
    applicantPage: null,
    staffPage: null,
    changeSections: APPLICATION_SECTIONS,
  },
  {
    key: 'testing',
    entersAs: 'in_progress',
    staffRole: 'reviewer',
    handIn: { event: 'submit', from: ['in_progress', 'changes_requested'], by: 'applicant' },
    approval: { event: 'approve', guards: [], effects: [] },
    evidence: 'conformance',
    applicantWorksIn: 'testing',
    applicantPage: 'testing',
    staffPage: null,
    changeSections: TESTING_SECTIONS,
  },
  {
    key: 'security',
    entersAs: 'in_progress',
    staffRole: 'inspector',
    handIn: { event: 'submit', from: ['in_progress', 'changes_requested'], by: 'applicant' },
    approval: { event: 'approve', guards: ['no_open_critical_or_high_findings'], effects: [] },
    evidence: null,
    applicantWorksIn: 'security',
    applicantPage: 'security',
    staffPage: 'security',
    changeSections: null,
  },
  {
    key: 'contract',
    entersAs: 'in_progress',
    staffRole: 'contract_officer',
    // Production credentials are issued by src/contract inside the countersignature's transaction.
    handIn: { event: 'sign', from: ['in_progress', 'changes_requested'], by: 'owner' },
    approval: { event: 'countersign', guards: [], effects: [] },
    evidence: null,
    applicantWorksIn: 'contract',
    applicantPage: 'contract',
    staffPage: 'contract',
    changeSections: null,
  },
  {
    key: 'live',
    entersAs: 'live',
    staffRole: null,
    handIn: null,
    approval: null,
    evidence: null,
    applicantWorksIn: 'live',
    applicantPage: null,
    staffPage: null,
    changeSections: null,
  },
] as const satisfies readonly StageDefinition[];

type Entry = (typeof STAGE_REGISTRY)[number];
export type Stage = Entry['key'];
/** The stages staff decide (they have a staff role). */
export type ReviewedStage = Extract<Entry, { staffRole: DecidingRole }>['key'];

export const STAGES: readonly Stage[] = STAGE_REGISTRY.map((s) => s.key);
export const REVIEWED_STAGES: readonly ReviewedStage[] = STAGE_REGISTRY.flatMap((s) =>
  s.staffRole ? [s.key as ReviewedStage] : [],
);

export interface WorkflowState {
  stage: Stage;
  status: Status;
}

const BY_KEY: Readonly<Record<Stage, StageDefinition>> = Object.fromEntries(
  STAGE_REGISTRY.map((s) => [s.key, s]),
) as Record<Stage, StageDefinition>;

/** The registry entry of a stage. */
export function stageDefinition(stage: Stage): StageDefinition {
  return BY_KEY[stage];
}

/** The stage whose pages the applicant works on while `stage` is with them (null for an unknown stage). */
export function applicantWorksIn(stage: string): string | null {
  return (BY_KEY as Partial<Record<string, StageDefinition>>)[stage]?.applicantWorksIn ?? null;
}

/** The stages whose queue a staff role works (admin: every decided stage). */
export function stagesForRole(role: DecidingRole | 'admin'): Stage[] {
  return STAGE_REGISTRY.filter((s) => s.staffRole && (role === 'admin' || s.staffRole === role)).map((s) => s.key);
}

/** The sections a reviewer may name when requesting changes at a stage (null: the deciding module's keys). */
export function sectionsForStage(stage: Stage): readonly string[] | null {
  return stageDefinition(stage).changeSections;
}

/** The applicant's page of a stage, or null when it has none of its own. */
export function applicantStagePath(applicationId: string, stage: Stage): string | null {
  const page = stageDefinition(stage).applicantPage;
  return page ? `/applications/${applicationId}/${page}` : null;
}

/** The staff page where a stage is decided, or null when it is decided on the review screen. */
export function staffStagePage(stage: Stage): string | null {
  return stageDefinition(stage).staffPage;
}

/** Stages decided on the review screen (/staff/applications/:id) rather than on a page of their own. */
export function decidedOnReviewScreen(stage: Stage): boolean {
  const def = stageDefinition(stage);
  return def.staffRole !== null && def.staffPage === null;
}

/** The guards an event must pass at a stage (those of its approval). */
export function guardsFor(stage: Stage, event: string): readonly GuardName[] {
  const approval = stageDefinition(stage).approval;
  return approval && approval.event === event ? approval.guards : [];
}

/** What approving a stage does besides moving on (nothing for other events). */
export function approvalEffects(stage: Stage, event: string): readonly ApprovalEffect[] {
  const approval = stageDefinition(stage).approval;
  return approval && approval.event === event ? approval.effects : [];
}

/** Whether `event` at `stage` needs its evidence check first (the hand-in and the approval do). */
export function evidenceFor(stage: Stage, event: string): EvidenceCheck | null {
  const def = stageDefinition(stage);
  return def.evidence && (event === def.handIn?.event || event === def.approval?.event) ? def.evidence : null;
}
