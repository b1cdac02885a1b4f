// The applicant's view of stages 2–5 for the task list: one status per stage, derived from the
// application's current stage and status. Pure. Stage 1 (the form) is summarised by onboarding itself.
// The stages and their pages come from the stage registry (stages.ts).
import { REVIEWED_STAGES, STAGES, applicantStagePath, type ReviewedStage, type Stage, type Status } from './stages';

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
      href: opens ? applicantStagePath(application.id, stage) : null,
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
