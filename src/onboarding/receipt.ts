// Rule: every submission gets a receipt, on the confirmation page and by e-mail to the person who submitted:
// the reference, the version, the time (Korean time) and what was submitted, read from the frozen version
// so that the page and the e-mail say the same thing and never what was typed afterwards.
import { translate, type Locale } from '../i18n';
import { formatDateTime } from '../i18n/date-format';
import { CONTACT_ROLES } from './sections';
import { formatBusinessRegistrationNumber } from './business-registration-number';

interface ReceiptLine {
  label: string;
  value: string;
}
export interface Receipt {
  reference: string;
  version: number;
  submittedAt: string;
  lines: ReceiptLine[];
}

type Frozen = Record<string, unknown>;
const section = (answers: Frozen, key: string): Record<string, unknown> => {
  const v = answers[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const lines = (v: unknown): string[] =>
  str(v)
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

export function buildReceipt(
  locale: Locale,
  submission: { reference: string; version: number; submittedAt: string; answers: Frozen },
): Receipt {
  const t = (key: string, params?: Record<string, unknown>) => translate(locale, key, params);
  const { answers } = submission;
  const company = section(answers, 'company');
  const service = section(answers, 'service');
  const apis = section(answers, 'apis');
  const technical = section(answers, 'technical');
  const contacts = section(answers, 'contacts');
  const chosen = Array.isArray(apis.apis)
    ? (apis.apis as unknown[]).filter((a): a is string => typeof a === 'string')
    : [];
  const declarations = Array.isArray(answers.declarations)
    ? (answers.declarations as unknown[]).filter((d): d is string => typeof d === 'string')
    : [];
  const out: ReceiptLine[] = [
    { label: t('onboarding.fields.company.legal_name'), value: str(company.legal_name) },
    {
      label: t('onboarding.fields.company.business_registration_number'),
      value: formatBusinessRegistrationNumber(str(company.business_registration_number)),
    },
    { label: t('onboarding.fields.service.service_name'), value: str(service.service_name) },
    {
      label: t('onboarding.fields.apis.apis'),
      value: chosen
        .map((a) =>
          t('onboarding.receipt.api_calls', {
            api: t(`onboarding.apis.${a}.name`),
            calls: Number(apis[`calls_${a}`] ?? 0).toLocaleString('en-US'),
          }),
        )
        .join(', '),
    },
    {
      label: t('onboarding.fields.technical.callback_urls'),
      value: t('onboarding.receipt.count', { n: lines(technical.callback_urls).length }),
    },
    {
      label: t('onboarding.fields.technical.server_ips'),
      value: t('onboarding.receipt.count', { n: lines(technical.server_ips).length }),
    },
    ...CONTACT_ROLES.map((r) => ({
      label: t(`onboarding.fields.contacts.${r}`),
      value: [str(contacts[`${r}_name`]), str(contacts[`${r}_email`])].filter(Boolean).join(' · '),
    })),
    {
      label: t('onboarding.receipt.declarations'),
      value: declarations.map((d) => t(`onboarding.declarations.${d}.title`)).join(', '),
    },
  ];
  return {
    reference: submission.reference,
    version: submission.version,
    submittedAt: formatDateTime(locale, submission.submittedAt),
    lines: out,
  };
}

/** The receipt as e-mail text: one "label: value" line each. */
export function receiptText(r: Receipt): string {
  return r.lines.map((l) => `- ${l.label}: ${l.value}`).join('\n');
}
