// Rule: an application is submitted only with the applicant's declarations — accuracy always; the
// 금융실명법 inquiry-consent duty when an inquiry API is requested; the 전자금융거래법 withdrawal-consent
// duty when a transfer (withdrawal) API is requested.
import type { FieldError } from '../http/errors';
import { impliedScopes } from './api-catalogue';

export const DECLARATIONS = ['accuracy', 'inquiry_consent', 'withdrawal_consent'] as const;
export type Declaration = (typeof DECLARATIONS)[number];

export function requiredDeclarations(apis: readonly string[]): Declaration[] {
  const scopes = impliedScopes(apis);
  return DECLARATIONS.filter(
    (d) =>
      d === 'accuracy' ||
      (d === 'inquiry_consent' && scopes.includes('inquiry')) ||
      (d === 'withdrawal_consent' && scopes.includes('transfer')),
  );
}

/** Reads `declare_<name>=yes` fields; a missing required one is a field error. */
export function checkDeclarations(
  body: unknown,
  apis: readonly string[],
): { accepted: Declaration[]; errors: FieldError[] } {
  const src = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const accepted: Declaration[] = [];
  const errors: FieldError[] = [];
  for (const d of requiredDeclarations(apis)) {
    if (src[`declare_${d}`] === 'yes') accepted.push(d);
    else errors.push({ field: `declare_${d}`, message: `onboarding.errors.declaration_${d}` });
  }
  return { accepted, errors };
}
