// Findings: the inspector records them (open), the applicant answers with a remediation (remediated), the
// inspector verifies (closed) or reopens (open). Rule: the stage passes only with no open critical or high
// finding, and "open" means anything not verified closed or withdrawn — a remediated finding still counts
// until verified. Verifying needs the applicant's remediation first: a finding nobody answered cannot be
// closed; the inspector may instead withdraw it (recorded in error, out of scope), with a reason.
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
const FINDING_STATUSES = ['open', 'remediated', 'closed', 'withdrawn'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export type FindingAction = 'remediate' | 'verify' | 'reopen' | 'withdraw';

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

const NEXT: Record<FindingAction, { from: readonly FindingStatus[]; to: FindingStatus }> = {
  remediate: { from: ['open', 'remediated'], to: 'remediated' }, // answering again replaces nothing: each answer is kept
  verify: { from: ['remediated'], to: 'closed' },
  reopen: { from: ['remediated', 'closed', 'withdrawn'], to: 'open' },
  withdraw: { from: ['open', 'remediated'], to: 'withdrawn' },
};

/** The status after `action`, or null when the action does not apply to a finding in `status`. */
export function nextFindingStatus(status: FindingStatus, action: FindingAction): FindingStatus | null {
  const rule = NEXT[action];
  return rule.from.includes(status) ? rule.to : null;
}

export function countOpenCriticalOrHigh(findings: readonly { severity: string; status: string }[]): number {
  return findings.filter(
    (f) => (f.severity === 'critical' || f.severity === 'high') && f.status !== 'closed' && f.status !== 'withdrawn',
  ).length;
}
