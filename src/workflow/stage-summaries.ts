// The applicant's view of stages 2–5 for the task list: one status per stage, derived from the
// application's current stage and status. Pure. Stage 1 (the form) is summarised by onboarding itself.
import { STAGES, type Stage, type Status } from './state-machine';

export const REVIEWED_STAGES = ['suitability', 'testing', 'security', 'contract'] as const;
export type ReviewedStage = (typeof REVIEWED_STAGES)[number];

export type StageProgress =
  | 'cannot_start_yet'
  | 'in_progress'
  | 'waiting_for_review'
  | 'in_review'
  | 'changes_requested'
  | 'completed'
  | 'rejected'
  | 'withdrawn';

export interface StageSummary {
  stage: ReviewedStage;
  progress: StageProgress;
  /** i18n keys: workflow.stages.<stage>, workflow.progress.<progress>. */
  nameKey: string;
  progressKey: string;
  /** CSS tag class for the status (tag tag-…). */
  tagClass: string;
  /** Where the applicant works on or reads this stage; null when it cannot be opened (yet). */
  href: string | null;
}

const TAG: Record<StageProgress, string> = {
  cannot_start_yet: 'tag-grey',
  in_progress: 'tag-yellow',
  waiting_for_review: 'tag-yellow',
  in_review: 'tag-yellow',
  changes_requested: 'tag-orange',
  completed: 'tag-green',
  rejected: 'tag-red',
  withdrawn: 'tag-grey',
};

function progressOf(status: Status): StageProgress {
  switch (status) {
    case 'submitted':
      return 'waiting_for_review';
    case 'in_review':
      return 'in_review';
    case 'changes_requested':
      return 'changes_requested';
    case 'approved':
    case 'live':
      return 'completed';
    case 'rejected':
      return 'rejected';
    case 'withdrawn':
      return 'withdrawn';
    default:
      return 'in_progress';
  }
}

/**
 * The applicant's page per stage: testing is this module's; security and contract pages belong to
 * src/inspection and src/contract. Suitability has no page of its own (the application form is stage 1).
 */
function hrefFor(applicationId: string, stage: ReviewedStage): string | null {
  switch (stage) {
    case 'testing':
      return `/applications/${applicationId}/testing`;
    case 'security':
      return `/applications/${applicationId}/security`;
    case 'contract':
      return `/applications/${applicationId}/contract`;
    default:
      return null;
  }
}

export function stageSummaries(application: { id: string; stage: Stage; status: Status }): StageSummary[] {
  const current = STAGES.indexOf(application.stage);
  return REVIEWED_STAGES.map((stage) => {
    const index = STAGES.indexOf(stage);
    let progress: StageProgress;
    if (application.stage === 'live' || index < current) progress = 'completed';
    else if (index > current) progress = 'cannot_start_yet';
    else progress = progressOf(application.status);
    const opens = progress !== 'cannot_start_yet';
    return {
      stage,
      progress,
      nameKey: `workflow.stages.${stage}`,
      progressKey: `workflow.progress.${progress}`,
      tagClass: TAG[progress],
      href: opens ? hrefFor(application.id, stage) : null,
    };
  });
}

/** The same, shaped for onboarding's `buildTaskList({ overrides })` (src/onboarding/task-list.ts). */
export function stageTaskOverrides(application: {
  id: string;
  stage: Stage;
  status: Status;
}): Partial<Record<ReviewedStage, { status: StageProgress; href?: string }>> {
  return Object.fromEntries(
    stageSummaries(application).map((s) => [
      s.stage,
      s.href ? { status: s.progress, href: s.href } : { status: s.progress },
    ]),
  );
}
