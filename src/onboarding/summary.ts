// The answers as label/value rows, in the reader's language: used by the applicant's "check your
// answers" page and by the staff review page (the workflow module), and for diffs between versions.
import { translate, type Locale } from '../i18n';
import { API_CATALOGUE, impliedScopes } from './api-catalogue';
import { formatBusinessRegistrationNumber } from './business-registration-number';
import { formatCorporateRegistrationNumber } from './corporate-registration-number';
import { CONTACT_ROLES, GUARANTEED_API, SECTION_KEYS, type SectionData, type SectionKey } from './sections';

interface SummaryRow {
  field: string;
  label: string /** One entry per displayed line. */;
  lines: string[] /** lines joined with "\n" (for diffs). */;
  value: string;
}
export interface SummarySection {
  key: SectionKey;
  title: string;
  rows: SummaryRow[];
  missing: boolean;
}
export type Answers = Partial<Record<SectionKey, SectionData | null>>;

const KRW = new Intl.NumberFormat('ko-KR');

function str(d: SectionData, k: string): string {
  const v = d[k];
  return typeof v === 'string' ? v : '';
}

function row(
  locale: Locale,
  section: SectionKey,
  field: string,
  value: string | string[],
  labelKey?: string,
): SummaryRow {
  const lines = (Array.isArray(value) ? value : value.split('\n')).filter((l) => l !== '');
  return {
    field,
    label: translate(locale, labelKey ?? `onboarding.fields.${section}.${field}`),
    lines,
    value: lines.join('\n'),
  };
}

/** "없음", or "있음: <details>" for a none / some question; empty when not answered. */
function historyText(
  d: SectionData,
  field: string,
  detailsField: string,
  t: (key: string, params?: Record<string, unknown>) => string,
): string {
  const choice = str(d, field);
  if (choice === 'some') return t('onboarding.summary.history_some', { details: str(d, detailsField) });
  return choice === 'none' ? t('onboarding.history_choices.none') : '';
}

function rowsFor(section: SectionKey, d: SectionData, locale: Locale): SummaryRow[] {
  const t = (key: string, params?: Record<string, unknown>) => translate(locale, key, params);
  const number = (v: string) => (/^\d+$/.test(v) ? KRW.format(Number(v)) : v);
  switch (section) {
    case 'company': {
      const type = str(d, 'business_type');
      return [
        row(locale, section, 'legal_name', str(d, 'legal_name')),
        row(locale, section, 'business_type', type ? t(`onboarding.business_types.${type}`) : ''),
        row(
          locale,
          section,
          'business_registration_number',
          formatBusinessRegistrationNumber(str(d, 'business_registration_number')),
        ),
        row(
          locale,
          section,
          'corporate_registration_number',
          formatCorporateRegistrationNumber(str(d, 'corporate_registration_number')),
        ),
        row(locale, section, 'representative', str(d, 'representative')),
        row(locale, section, 'address', str(d, 'address')),
        row(locale, section, 'founded_on', str(d, 'founded_on')),
        row(
          locale,
          section,
          'paid_in_capital',
          str(d, 'paid_in_capital') ? t('onboarding.summary.krw', { amount: number(str(d, 'paid_in_capital')) }) : '',
        ),
        row(
          locale,
          section,
          'employees',
          str(d, 'employees') ? t('onboarding.summary.people', { count: number(str(d, 'employees')) }) : '',
        ),
        row(locale, section, 'sanctions_history', historyText(d, 'sanctions_history', 'sanctions_details', t)),
        row(locale, section, 'criminal_record', historyText(d, 'criminal_record', 'criminal_record_details', t)),
      ];
    }
    case 'service': {
      const kind = str(d, 'service_kind');
      const kindText =
        kind === 'other'
          ? `${t('onboarding.service_kinds.other')}: ${str(d, 'service_kind_other')}`
          : kind
            ? t(`onboarding.service_kinds.${kind}`)
            : '';
      return [
        row(locale, section, 'service_name', str(d, 'service_name')),
        row(locale, section, 'service_kind', kindText),
        row(locale, section, 'description', str(d, 'description')),
        row(locale, section, 'launch_date', str(d, 'launch_date')),
      ];
    }
    case 'apis': {
      const chosen = Array.isArray(d.apis) ? d.apis : [];
      const lines = API_CATALOGUE.filter((a) => chosen.includes(a.key)).map((a) => {
        const calls = str(d, `calls_${a.key}`);
        return t('onboarding.summary.api_line', {
          name: t(`onboarding.apis.${a.key}.name`),
          calls: calls ? number(calls) : '—',
        });
      });
      const kind = str(d, 'guarantee_kind');
      const amount = str(d, 'guarantee_amount');
      return [
        row(locale, section, 'apis', lines),
        row(locale, section, 'scopes', impliedScopes(chosen).join(', ')),
        // Only asked when the withdrawal API is requested.
        ...(chosen.includes(GUARANTEED_API)
          ? [
              row(
                locale,
                section,
                'guarantee_kind',
                kind
                  ? t('onboarding.summary.guarantee_line', {
                      kind: t(`onboarding.guarantee_kinds.${kind}`),
                      amount: amount ? number(amount) : '—',
                    })
                  : '',
                'onboarding.fields.apis.guarantee',
              ),
            ]
          : []),
      ];
    }
    case 'technical':
      return [
        row(locale, section, 'callback_urls', str(d, 'callback_urls')),
        row(locale, section, 'server_ips', str(d, 'server_ips')),
        row(
          locale,
          section,
          'security_staff_count',
          str(d, 'security_staff_count')
            ? t('onboarding.summary.people', { count: number(str(d, 'security_staff_count')) })
            : '',
        ),
        row(locale, section, 'ciso_name', str(d, 'ciso_name')),
      ];
    case 'contacts':
      return [
        ...CONTACT_ROLES.map((r) =>
          row(
            locale,
            section,
            r,
            [str(d, `${r}_name`), str(d, `${r}_email`), str(d, `${r}_phone`)].filter(Boolean),
            `onboarding.fields.contacts.${r}`,
          ),
        ),
        row(locale, section, 'complaint_channel', str(d, 'complaint_channel')),
        row(
          locale,
          section,
          'complaint_days',
          str(d, 'complaint_days') ? t('onboarding.summary.business_days', { days: str(d, 'complaint_days') }) : '',
        ),
      ];
  }
}

/** Every section in form order; a section never saved has `missing: true` and no rows. */
export function formatApplicationSummary(answers: Answers, locale: Locale): SummarySection[] {
  return SECTION_KEYS.map((key) => {
    const d = answers[key];
    return {
      key,
      title: translate(locale, `onboarding.sections.${key}.title`),
      rows: d ? rowsFor(key, d, locale) : [],
      missing: !d,
    };
  });
}
