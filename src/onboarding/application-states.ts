// Where an application is, as onboarding needs it. The names and transitions belong to the workflow
// state machine (src/workflow/state-machine.ts, whose decide() the submit uses); here: the stages an
// applicant sees, which states block a new application, and tag colours.
import { STAGES, type Stage } from '../workflow/state-machine';
export { STAGES, type Stage } from '../workflow/state-machine';
/** The five stages an applicant works through (live is where they end up). */
export const JOURNEY_STAGES: readonly Stage[] = STAGES.filter((s) => s !== 'live');

export interface ApplicationState {
  stage: string;
  status: string;
}

/** An application that is finished with (rejected or withdrawn) no longer blocks starting a new one. */
export function isActive(s: ApplicationState): boolean {
  return s.status !== 'rejected' && s.status !== 'withdrawn';
}

/** Tag colour for a status (CSS classes in public/app.css). */
export function statusTagClass(status: string): string {
  switch (status) {
    case 'approved':
    case 'live':
      return 'tag-green';
    case 'submitted':
    case 'in_review':
      return 'tag-yellow';
    case 'changes_requested':
      return 'tag-orange';
    case 'rejected':
    case 'withdrawn':
      return 'tag-red';
    case 'draft':
      return 'tag-grey';
    default:
      return '';
  }
}
