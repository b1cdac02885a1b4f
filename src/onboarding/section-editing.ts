// Rule: answers are editable only while the application is a draft, or — after a reviewer asked for
// changes — only in the sections the reviewer named (the documents too, when named). Everything else is frozen
// once submitted. Which states those are follows from the stage registry (src/workflow/stages.ts): the draft is
// the first stage as it is entered, and changes are made on the form for every later stage whose
// `applicantWorksIn` is the first stage (today: suitability).
import { STAGE_REGISTRY } from '../workflow/stages';
import { isSectionKey, SECTION_KEYS, type SectionKey } from './sections';

/** Stage 1: the application form. */
const FORM_STAGE = STAGE_REGISTRY[0];
/** The later stages whose requested changes the applicant makes on stage 1's form. */
const STAGES_CHANGED_ON_FORM: readonly string[] = STAGE_REGISTRY.filter(
  (s) => s.key !== FORM_STAGE.key && s.applicantWorksIn === FORM_STAGE.key,
).map((s) => s.key);

export interface EditableState {
  stage: string;
  status: string;
  changes_requested_sections: string | null;
}

/** The application is stage 1's draft (the whole form open). */
function isDraft(app: Pick<EditableState, 'stage' | 'status'>): boolean {
  return app.stage === FORM_STAGE.key && app.status === FORM_STAGE.entersAs;
}

/** A reviewer sent the application back to stage 1's form (only the sections they named are open). */
export function formSentBack(app: Pick<EditableState, 'stage' | 'status'>): boolean {
  return app.status === 'changes_requested' && STAGES_CHANGED_ON_FORM.includes(app.stage);
}

export function requestedSections(app: Pick<EditableState, 'changes_requested_sections'>): SectionKey[] {
  if (!app.changes_requested_sections) return [];
  try {
    const parsed: unknown = JSON.parse(app.changes_requested_sections);
    return Array.isArray(parsed) ? SECTION_KEYS.filter((k) => parsed.includes(k)) : [];
  } catch {
    return [];
  }
}

export function editableSections(app: EditableState): SectionKey[] {
  if (isDraft(app)) return [...SECTION_KEYS];
  if (formSentBack(app)) return requestedSections(app);
  return [];
}

/** The documents page's key in a change request (beside the five section keys). */
const DOCUMENTS_SECTION = 'documents';

/** Documents may be uploaded while the application is a draft, or when the reviewer asked for them. */
export function documentsEditable(app: EditableState): boolean {
  if (isDraft(app)) return true;
  if (!formSentBack(app) || !app.changes_requested_sections) return false;
  try {
    const parsed: unknown = JSON.parse(app.changes_requested_sections);
    return Array.isArray(parsed) && parsed.includes(DOCUMENTS_SECTION);
  } catch {
    return false;
  }
}

export function canEditSection(app: EditableState, section: string): boolean {
  return isSectionKey(section) && editableSections(app).includes(section);
}
