// The contract's wording in one language, from the message catalogs (namespace 'contract'): the page shows
// it in the reader's language only (Korean on Korean pages, English on English ones), and the PDF
// (contract-pdf.ts) is set from the same text.
import { translate, type Locale } from '../i18n';
import { formatBusinessRegistrationNumber, type ContractDocument } from './contract-document';

const KRW = new Intl.NumberFormat('ko-KR');

export interface ContractText {
  locale: Locale;
  title: string;
  parties: { role: string; name: string; lines: string[] }[];
  articles: { heading: string; paragraphs: string[] }[];
  apis: { name: string; fee: string; monthlyCalls: string }[];
  fees: { name: string; fee: string }[];
  labels: Record<'api' | 'fee' | 'monthly_calls' | 'call_type', string>;
}

export function contractText(locale: Locale, doc: ContractDocument, effectiveDate: string | null): ContractText {
  const t = (key: string, params?: Record<string, unknown>) => translate(locale, `contract.text.${key}`, params);
  const callType = (key: string) => translate(locale, `contract.call_types.${key}`);
  const fee = (n: number | null) => (n === null ? t('no_fee') : t('fee_per_call', { amount: KRW.format(n) }));
  const org = doc.organization;
  return {
    locale,
    title: t('title'),
    parties: [
      { role: t('party_a'), name: t('kftc_name'), lines: [t('kftc_detail')] },
      {
        role: t('party_b'),
        name: org.legalName,
        lines: [
          t('brn', { value: formatBusinessRegistrationNumber(org.businessRegistrationNumber) }),
          t('representative', { value: org.representative }),
          ...(org.address ? [t('address', { value: org.address })] : []),
        ],
      },
    ],
    articles: [
      { heading: t('art1_heading'), paragraphs: [t('art1_body', { service: doc.service.name || org.legalName })] },
      { heading: t('art2_heading'), paragraphs: [t('art2_body', { count: doc.apis.length })] },
      { heading: t('art3_heading'), paragraphs: [t('art3_body', { terms: doc.termsVersion })] },
      { heading: t('art4_heading'), paragraphs: [t('art4_body')] },
      {
        heading: t('art5_heading'),
        paragraphs: [
          effectiveDate ? t('art5_body_dated', { date: effectiveDate }) : t('art5_body_pending'),
          t('art5_terms', { terms: doc.termsVersion }),
        ],
      },
    ],
    apis: doc.apis.map((a) => ({
      name: callType(a.key),
      fee: fee(a.feePerCall),
      monthlyCalls: a.monthlyCalls === null ? '—' : KRW.format(a.monthlyCalls),
    })),
    fees: doc.fees.map((f) => ({ name: callType(f.callType), fee: fee(f.feePerCall) })),
    labels: {
      api: t('col_api'),
      fee: t('col_fee'),
      monthly_calls: t('col_monthly_calls'),
      call_type: t('col_call_type'),
    },
  };
}
