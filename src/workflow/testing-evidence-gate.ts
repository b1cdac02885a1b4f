// Stage 3 evidence gate: may the reviewer sign off testing, judged on evidence from the test bed?
// A later issue plugs the emulator's call log in here (one item per requested API: was it called
// successfully in the sandbox?). Until then the gate reports honestly that there is no automatic evidence
// and does not block: the reviewer judges the applicant's written report alone.

export interface TestingEvidenceItem { api: string; ok: boolean; detail: string }
export interface TestingEvidence {
  /** false blocks approval of the testing stage. */
  ok: boolean;
  /** false when no automatic evidence was evaluated at all (the UI says so instead of showing green). */
  automatic: boolean;
  items: TestingEvidenceItem[];
}
export type TestingEvidenceGate = (applicationId: string) => Promise<TestingEvidence>;

/** Today's gate: no automatic evidence yet, informational only. */
export const noAutomaticTestingEvidence: TestingEvidenceGate = async () => ({ ok: true, automatic: false, items: [] });
