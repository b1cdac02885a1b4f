// Rule: the documents an application needs depend on its answers — every applicant uploads the business
// registration certificate (사업자등록증), the latest financial statements (최근 재무제표) and the privacy policy
// (개인정보 처리방침); a corporation also its corporate register extract (법인 등기사항전부증명서); an applicant who
// requests the withdrawal API also the proof of its guarantee (보증 증빙). Submission waits for every required kind.
import { GUARANTEED_API, type SectionData, type SectionKey } from './sections';

/** Every kind the documents page knows, in display order. */
export const APPLICATION_DOCUMENT_KINDS = [
  'business_registration',
  'corporate_register',
  'financial_statements',
  'privacy_policy',
  'guarantee_certificate',
] as const;
export type ApplicationDocumentKind = (typeof APPLICATION_DOCUMENT_KINDS)[number];

export function isApplicationDocumentKind(v: unknown): v is ApplicationDocumentKind {
  return typeof v === 'string' && (APPLICATION_DOCUMENT_KINDS as readonly string[]).includes(v);
}

type AnswersLike = Partial<Record<SectionKey, SectionData | null | undefined>>;

/** The kinds these answers need (an unanswered business type or API list needs only the documents everyone needs). */
export function requiredDocumentKinds(answers: AnswersLike): ApplicationDocumentKind[] {
  const corporation = answers.company?.business_type === 'corporation';
  const apis = answers.apis?.apis;
  const withdraws = Array.isArray(apis) && apis.includes(GUARANTEED_API);
  return APPLICATION_DOCUMENT_KINDS.filter((k) =>
    k === 'corporate_register' ? corporation : k === 'guarantee_certificate' ? withdraws : true,
  );
}

/** Required kinds without an uploaded version. */
export function missingDocumentKinds(
  answers: AnswersLike,
  uploadedKinds: readonly string[],
): ApplicationDocumentKind[] {
  const have = new Set(uploadedKinds);
  return requiredDocumentKinds(answers).filter((k) => !have.has(k));
}

/** What a submitted version records about each document: the version the reviewer judges. */
export interface FrozenDocument {
  kind: ApplicationDocumentKind;
  fileId: string;
  version: number;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}
