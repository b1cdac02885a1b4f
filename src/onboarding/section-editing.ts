// Rule: answers are editable only while the application is a draft, or — after a reviewer asked for
// changes — only in the sections the reviewer named (the documents too, when named). Everything else is frozen
// once submitted.
import { isSectionKey, SECTION_KEYS, type SectionKey } from './sections';

export interface EditableState {
  stage: string;
  status: string;
  changes_requested_sections: string | null;
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
  if (app.stage === 'application' && app.status === 'draft') return [...SECTION_KEYS];
  if (app.stage === 'suitability' && app.status === 'changes_requested') return requestedSections(app);
  return [];
}

/** The documents page's key in a change request (beside the five section keys). */
const DOCUMENTS_SECTION = 'documents';

/** Documents may be uploaded while the application is a draft, or when the reviewer asked for them. */
export function documentsEditable(app: EditableState): boolean {
  if (app.stage === 'application' && app.status === 'draft') return true;
  if (app.stage !== 'suitability' || app.status !== 'changes_requested' || !app.changes_requested_sections)
    return false;
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
