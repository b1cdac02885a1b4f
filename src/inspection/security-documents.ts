// The documents the applicant must upload for the security inspection (보안점검), in display order.
export const REQUIRED_DOCUMENT_KINDS = ['self_assessment', 'vulnerability_scan', 'penetration_test'] as const;
export type DocumentKind = (typeof REQUIRED_DOCUMENT_KINDS)[number];

export function isDocumentKind(v: unknown): v is DocumentKind {
  return typeof v === 'string' && (REQUIRED_DOCUMENT_KINDS as readonly string[]).includes(v);
}

/** Files attached to a remediation live in their own slot per finding, so their versions count separately. */
export function remediationSlot(findingId: string): string {
  return `remediation:${findingId}`;
}

/** Kinds that have no uploaded version yet (the stage cannot be submitted while any is missing). */
export function missingDocumentKinds(uploadedSlots: readonly string[]): DocumentKind[] {
  const have = new Set(uploadedSlots);
  return REQUIRED_DOCUMENT_KINDS.filter((k) => !have.has(k));
}
