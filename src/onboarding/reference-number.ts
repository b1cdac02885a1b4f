// Rule: an application's reference is OB-<year>-<6 digits>, numbered per year from reference_counters
// inside the submit transaction, assigned once (a resubmission keeps it).
export function formatReference(year: number, n: number): string {
  return `OB-${year}-${String(n).padStart(6, '0')}`;
}
