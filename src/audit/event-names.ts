// Rule: people read audit events as words, never as keys. Every event key the code records is listed
// here (test/audit/event-names.test.ts scans src/ for `audit.record({ event: … })` and fails on a key
// missing from this list), each with a Korean and an English name in the `audit` catalog. States
// (`suitability:in_review`) read as "적합성 심사 · 심사 중". The CSV export keeps the keys beside the words.
import { hasMessage, translate, type Locale } from '../i18n';

export const AUDIT_EVENTS = [
  'application.created',
  'application.submitted',
  'application.claimed',
  'application.approved',
  'application.changes_requested',
  'application.rejected',
  'application.withdrawn',
  'application.signed',
  'application.countersigned',
  'application.internal_note',
  'application.claim_released',
  'application.document_uploaded',
  'contract.pdf_recorded',
  'suitability.checklist_saved',
  'credentials.issued',
  'credentials.set_created',
  'credentials.set_revoked',
  'credentials.callback_added',
  'credentials.callback_removed',
  'credentials.contract_account_opened',
  'credentials.secret_created',
  'credentials.secret_revoked',
  'credentials.sa_allowed',
  'credentials.sa_refused',
  'api_token.created',
  'api_token.revoked',
  'organization.created',
  'organization.invite_created',
  'organization.member_joined',
  'sandbox.test_account_opened',
  'sandbox.test_user_created',
  'security.document_uploaded',
  'security.finding_recorded',
  'security.remediation_submitted',
  'security.finding_verified',
  'security.finding_reopened',
  'security.finding_withdrawn',
  'staff.created',
  'staff.deactivated',
  'staff.reactivated',
  'staff.role_changed',
  'staff.password_reset_sent',
  'testbed.account_topped_up',
  'testbed.sandbox_reset',
  'user.password_changed',
  'user.password_reset_requested',
  'user.password_reset',
] as const;
type AuditEventKey = (typeof AUDIT_EVENTS)[number];

const KNOWN = new Set<string>(AUDIT_EVENTS);

function isKnownAuditEvent(event: string): event is AuditEventKey {
  return KNOWN.has(event);
}

/** "credentials.set_created" → "인증정보 세트 발급"; an event recorded by an older version reads as "기타 기록". */
export function auditEventName(locale: Locale, event: string): string {
  const key = `audit.events.${event}`;
  return isKnownAuditEvent(event) && hasMessage(locale, key)
    ? translate(locale, key)
    : translate(locale, 'audit.other_event');
}

/** "suitability:in_review" → "적합성 심사 · 심사 중"; empty for none. */
export function auditStateName(locale: Locale, state: string | null | undefined): string {
  if (!state) return '';
  const [stage, status] = state.split(':');
  const stageKey = `workflow.stages.${stage}`;
  const statusKey = `workflow.statuses.${status}`;
  if (!stage || !status || !hasMessage(locale, stageKey) || !hasMessage(locale, statusKey))
    return translate(locale, 'audit.other_state');
  return `${translate(locale, stageKey)} · ${translate(locale, statusKey)}`;
}
