// Rule (four eyes): the contract is countersigned by someone who neither approved the suitability review
// nor signed for the organization.
export type FourEyesViolation = 'approved_suitability' | 'signed_contract';

export function fourEyesViolation(
  countersignerId: string,
  facts: { suitabilityApproverIds: readonly string[]; signerId: string },
): FourEyesViolation | null {
  if (facts.suitabilityApproverIds.includes(countersignerId)) return 'approved_suitability';
  if (facts.signerId === countersignerId) return 'signed_contract';
  return null;
}
