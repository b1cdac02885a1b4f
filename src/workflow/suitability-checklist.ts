// Rule: the suitability review checks eight items, each pass / fail / not applicable with a note; a failed
// item must say why. Approval needs every item pass or not applicable (see the state machine guard).
import type { FieldError } from '../http/errors';

export const SUITABILITY_ITEMS = [
  'legal_entity',
  'capital',
  'sanctions',
  'business_plan',
  'privacy_officer',
  'it_security_staff',
  'withdrawal_guarantee',
  'complaint_handling',
] as const;
export type SuitabilityItem = (typeof SUITABILITY_ITEMS)[number];
export type ChecklistResult = 'pass' | 'fail' | 'na';
export const CHECKLIST_RESULTS: readonly ChecklistResult[] = ['pass', 'fail', 'na'];

export interface ChecklistEntry {
  item: SuitabilityItem;
  result: ChecklistResult | null;
  note: string;
}

const CHECKLIST_NOTE_MAX = 2000;

/** Reads the checklist form (fields result_<item>, note_<item>). Returns entries or field errors. */
export function parseChecklistForm(body: Record<string, unknown>): { entries: ChecklistEntry[]; errors: FieldError[] } {
  const entries: ChecklistEntry[] = [];
  const errors: FieldError[] = [];
  for (const item of SUITABILITY_ITEMS) {
    const rawResult = body[`result_${item}`];
    const rawNote = body[`note_${item}`];
    const result = rawResult === undefined || rawResult === '' ? null : rawResult;
    const note = typeof rawNote === 'string' ? rawNote.trim() : rawNote === undefined ? '' : null;
    if (result !== null && !(typeof result === 'string' && (CHECKLIST_RESULTS as readonly string[]).includes(result))) {
      errors.push({ field: `result_${item}`, message: 'workflow.checklist.errors.result_invalid' });
      continue;
    }
    if (note === null) {
      errors.push({ field: `note_${item}`, message: 'workflow.checklist.errors.note_invalid' });
      continue;
    }
    if (note.length > CHECKLIST_NOTE_MAX) {
      errors.push({
        field: `note_${item}`,
        message: 'workflow.checklist.errors.note_too_long',
        params: { max: CHECKLIST_NOTE_MAX },
      });
      continue;
    }
    if (result === 'fail' && note === '') {
      errors.push({ field: `note_${item}`, message: 'workflow.checklist.errors.note_required_for_fail' });
      continue;
    }
    entries.push({ item, result: result as ChecklistResult | null, note });
  }
  return { entries, errors };
}
