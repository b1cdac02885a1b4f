// In-app notifications, their e-mails, and the admin's outbox page.
export default {
  messages: {
    waiting_for_review: '{organization} ({reference}) is waiting for review: {nextStage}',
    in_review: 'Your application {reference} is being reviewed ({stage})',
    approved: 'Your application {reference} passed {stage}. Next: {nextStage}',
    changes_requested: 'Changes requested for {reference} ({stage}): {sections}. Reason: {reason}',
    rejected: 'Your application {reference} was rejected at {stage}. Reason: {reason}',
    live: 'Your application {reference} is live: the contract is countersigned',
    withdrawn: '{organization} withdrew application {reference} ({stage})',
  },
  email: {
    subject: '[Open Banking Portal] {message}',
    body: '{message}\n\nSee the details in the portal: {url}\n\nThis message was sent by the Open Banking onboarding portal.',
  },
  list: {
    title: 'Notifications',
    all_read: 'All notifications are marked as read.',
    mark_all_read: 'Mark all as read',
    mark_read: 'Mark as read',
    new: 'New',
    empty: 'You have no notifications.',
  },
  outbox: {
    title: 'E-mail outbox',
    smtp_not_configured: 'SMTP is not configured (SMTP_URL is unset): e-mails are stored here and not sent.',
    smtp_configured:
      "E-mails are sent by SMTP (SMTP_URL) every 30 seconds. A failed e-mail shows the server's answer and is not retried.",
    count: '{shown} of {total} e-mails, newest first',
    created_at: 'Created',
    to: 'To',
    subject: 'Subject',
    status: 'Status',
    sent_at: 'Sent',
    empty: 'No e-mails yet.',
  },
};
