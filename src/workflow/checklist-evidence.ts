// Rule: every suitability checklist item is judged on named evidence — answers of the submitted version and
// documents submitted with it — and the review page shows exactly that evidence under the item. The map below
// is the one place that says what each item rests on; a field or document kind named here must exist
// (test/workflow/checklist-evidence.test.ts checks every entry against the summary rows and document kinds).
import { translate, type Locale } from '../i18n';
import {
  requiredDocumentKinds,
  type ApplicationDocumentKind,
  type FrozenDocument,
} from '../onboarding/application-documents';
import type { SectionKey } from '../onboarding/sections';
import type { Answers, SummarySection } from '../onboarding/summary';
import { sizeLabel } from '../uploads/size-label';
import type { SuitabilityItem } from './suitability-checklist';

export interface EvidenceSpec {
  /** Rows of the answers summary (src/onboarding/summary.ts): section and row `field`. */
  answers: readonly { section: SectionKey; field: string }[];
  documents: readonly ApplicationDocumentKind[];
}

export const CHECKLIST_EVIDENCE: Readonly<Record<SuitabilityItem, EvidenceSpec>> = {
  legal_entity: {
    answers: [
      { section: 'company', field: 'legal_name' },
      { section: 'company', field: 'business_type' },
      { section: 'company', field: 'business_registration_number' },
      { section: 'company', field: 'corporate_registration_number' },
      { section: 'company', field: 'representative' },
      { section: 'company', field: 'address' },
      { section: 'company', field: 'founded_on' },
    ],
    documents: ['business_registration', 'corporate_register'],
  },
  capital: {
    answers: [
      { section: 'company', field: 'paid_in_capital' },
      { section: 'company', field: 'employees' },
    ],
    documents: ['financial_statements'],
  },
  sanctions: {
    answers: [
      { section: 'company', field: 'sanctions_history' },
      { section: 'company', field: 'criminal_record' },
    ],
    documents: [],
  },
  business_plan: {
    answers: [
      { section: 'service', field: 'service_name' },
      { section: 'service', field: 'service_kind' },
      { section: 'service', field: 'description' },
      { section: 'service', field: 'launch_date' },
      { section: 'apis', field: 'apis' },
    ],
    documents: [],
  },
  privacy_officer: {
    answers: [{ section: 'contacts', field: 'privacy' }],
    documents: ['privacy_policy'],
  },
  it_security_staff: {
    answers: [
      { section: 'technical', field: 'security_staff_count' },
      { section: 'technical', field: 'ciso_name' },
    ],
    documents: [],
  },
  withdrawal_guarantee: {
    answers: [
      { section: 'apis', field: 'apis' },
      { section: 'apis', field: 'guarantee_kind' },
    ],
    documents: ['guarantee_certificate'],
  },
  complaint_handling: {
    answers: [
      { section: 'contacts', field: 'complaint_channel' },
      { section: 'contacts', field: 'complaint_days' },
    ],
    documents: [],
  },
};

interface EvidenceAnswer {
  label: string;
  lines: string[];
}
interface EvidenceDocument {
  kind: string;
  name: string;
  file: (FrozenDocument & { sizeLabel: string; href: string }) | null;
}
export interface ItemEvidence {
  answers: EvidenceAnswer[];
  documents: EvidenceDocument[];
}

/**
 * The evidence behind one item, from a submitted version: its summary rows (answers not given are left out,
 * e.g. the guarantee when withdrawals were not requested) and its document kinds — each submitted one with a
 * download link, each required one that is absent marked as missing.
 */
export function checklistEvidence(
  item: SuitabilityItem,
  version: { answers: Answers & { documents?: FrozenDocument[] }; summary: readonly SummarySection[] },
  locale: Locale,
  downloadHref: (fileId: string) => string,
): ItemEvidence {
  const spec = CHECKLIST_EVIDENCE[item];
  const answers = spec.answers.flatMap(({ section, field }) => {
    const row = version.summary.find((s) => s.key === section)?.rows.find((r) => r.field === field);
    return row?.lines.length ? [{ label: row.label, lines: row.lines }] : [];
  });
  const submitted = version.answers.documents ?? [];
  const required = requiredDocumentKinds(version.answers);
  const documents = spec.documents.flatMap((kind) => {
    const file = submitted.find((d) => d.kind === kind);
    if (!file && !required.includes(kind)) return [];
    return [
      {
        kind,
        name: translate(locale, `onboarding.documents.kinds.${kind}.name`),
        file: file ? { ...file, sizeLabel: sizeLabel(file.sizeBytes), href: downloadHref(file.fileId) } : null,
      },
    ];
  });
  return { answers, documents };
}
