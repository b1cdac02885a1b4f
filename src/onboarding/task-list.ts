// The applicant's task list: the five stages as groups, stage 1 with its sections. Data-driven so the
// workflow can supply statuses and links for stages 2–5 (`overrides`); rendered by
// views/partials/onboarding/task-list.hbs. A stage without an href is not a link.
import { JOURNEY_STAGES, STAGES, type Stage } from './application-states';
import { applicantWorksIn } from '../workflow/stages';
import type { SectionKey } from './sections';

export type TaskStatus =
  | 'not_started'
  | 'in_progress'
  | 'completed'
  | 'waiting_for_review'
  | 'in_review'
  | 'changes_requested'
  | 'cannot_start_yet'
  | 'rejected'
  | 'withdrawn';

/** `lockedKey`: why a task has no link (a message key); `waitsFor`: the stage a stage that cannot start yet waits for. */
interface TaskItem {
  key: string;
  labelKey: string;
  status: TaskStatus;
  tagClass: string;
  href?: string;
  lockedKey?: string;
}
export interface TaskGroup {
  stage: Stage;
  number: number;
  labelKey: string;
  status: TaskStatus;
  tagClass: string;
  href?: string;
  items: TaskItem[];
  waitsFor?: string;
}

function taskTagClass(status: TaskStatus): string {
  switch (status) {
    case 'completed':
      return 'tag-green';
    case 'waiting_for_review':
    case 'in_review':
      return 'tag-yellow';
    case 'changes_requested':
      return 'tag-orange';
    case 'rejected':
    case 'withdrawn':
      return 'tag-red';
    case 'cannot_start_yet':
    case 'not_started':
      return 'tag-grey';
    default:
      return '';
  }
}

/** The status shown for the stage an application is currently in. */
function currentStageTaskStatus(status: string): TaskStatus {
  switch (status) {
    case 'draft':
    case 'in_progress':
      return 'in_progress';
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

export interface TaskListInput {
  application: { id: string; stage: string; status: string } | null;
  /** Stage-1 sections with their own status and link (no link when not editable). */
  sections: {
    key: SectionKey | 'documents';
    labelKey?: string;
    status: TaskStatus;
    href?: string;
    lockedKey?: string;
  }[];
  /** Link for stage 1 as a whole (the check page). */
  applicationHref?: string;
  /** Stages 2–5 as the workflow knows them; missing entries are derived from stage/status. */
  overrides?: Partial<Record<Stage, { status?: TaskStatus; href?: string }>>;
}

export function buildTaskList(input: TaskListInput): TaskGroup[] {
  const app = input.application;
  const currentIndex = app ? STAGES.indexOf(app.stage as Stage) : 0;
  return JOURNEY_STAGES.map((stage, i) => {
    let status: TaskStatus;
    if (!app) status = i === 0 ? 'not_started' : 'cannot_start_yet';
    else if (i === currentIndex) status = currentStageTaskStatus(app.status);
    // A stage that lies behind is done — unless the current stage sent the applicant back to its pages for
    // changes (suitability's changes are made on stage 1's form: stages.ts `applicantWorksIn`).
    else if (app.status === 'changes_requested' && applicantWorksIn(app.stage) === stage) status = 'changes_requested';
    else if (i < currentIndex) status = 'completed';
    else status = 'cannot_start_yet';
    const o = input.overrides?.[stage];
    if (o?.status) status = o.status;
    let href = stage === 'application' ? input.applicationHref : o?.href;
    if (status === 'cannot_start_yet') href = undefined;
    const items: TaskItem[] =
      stage === 'application'
        ? input.sections.map((s) => ({
            key: s.key,
            labelKey: s.labelKey ?? `onboarding.sections.${s.key}.title`,
            status: s.status,
            tagClass: taskTagClass(s.status),
            href: s.href,
            lockedKey: s.lockedKey,
          }))
        : [];
    // A stage that cannot start yet says what it waits for: the stage before it.
    const waitsFor = status === 'cannot_start_yet' && i > 0 ? `onboarding.stages.${JOURNEY_STAGES[i - 1]}` : undefined;
    return {
      stage,
      number: i + 1,
      labelKey: `onboarding.stages.${stage}`,
      status,
      tagClass: taskTagClass(status),
      href,
      items,
      waitsFor,
    };
  });
}
