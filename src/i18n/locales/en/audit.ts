// Audit trail: events and states as names people read (src/audit/event-names.ts).
export default {
  other_event: 'Other record',
  other_state: 'Unknown state',
  events: {
    application: {
      created: 'Application started', submitted: 'Application submitted', claimed: 'Review assigned', approved: 'Approved', changes_requested: 'Changes requested',
      rejected: 'Rejected', withdrawn: 'Application withdrawn', signed: 'Contract signed (fintech)', countersigned: 'Contract countersigned (KFTC)', internal_note: 'Internal note',
      claim_released: 'Review unassigned (staff account changed)', document_uploaded: 'Application document uploaded',
    },
    contract: { pdf_recorded: 'Contract PDF hash recorded' },
    suitability: { checklist_saved: 'Suitability checklist saved' },
    credentials: {
      issued: 'Sandbox credentials issued', set_created: 'Credential set created', set_revoked: 'Credential set revoked', callback_added: 'Callback URL added',
      callback_removed: 'Callback URL removed', contract_account_opened: 'Contract account opened', secret_created: 'Client secret issued', secret_revoked: 'Client secret revoked',
      sa_allowed: 'Self-authentication (scope=sa) allowed', sa_refused: 'Self-authentication (scope=sa) refused',
    },
    api_token: { created: 'API token issued', revoked: 'API token revoked' },
    organization: { created: 'Organization registered', invite_created: 'Member invited', member_joined: 'Member joined' },
    sandbox: { test_account_opened: 'Test account opened', test_user_created: 'Test user created' },
    security: {
      document_uploaded: 'Security document submitted', finding_recorded: 'Finding recorded', remediation_submitted: 'Remediation submitted',
      finding_verified: 'Finding verified as fixed', finding_reopened: 'Finding reopened', finding_withdrawn: 'Finding withdrawn',
    },
    staff: {
      created: 'Staff account created', deactivated: 'Staff account deactivated', reactivated: 'Staff account reactivated', role_changed: 'Staff role changed',
      password_reset_sent: 'Password reset link sent (by an administrator)',
    },
    testbed: { account_topped_up: 'Test account topped up', sandbox_reset: 'Sandbox reset' },
    user: { password_changed: 'Password changed', password_reset_requested: 'Password reset requested', password_reset: 'Password reset' },
  },
};
