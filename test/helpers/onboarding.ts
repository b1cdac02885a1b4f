// Valid application answers and a helper that fills in and submits an application through the real
// pages, for onboarding tests and for any module that needs a submitted application to work on.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type Browser, signUp } from './build';
import { requiredDocumentKinds } from '../../src/onboarding/application-documents';
import { postMultipart, SAMPLE_FILES, type FilePart } from './multipart';

/** Form fields per section page; every value is valid (check digits included). */
export const VALID_ANSWERS = {
  company: {
    legal_name: '주식회사 테스트핀테크',
    business_type: 'corporation',
    business_registration_number: '214-87-12348',
    corporate_registration_number: '110111-1234569',
    representative: '김대표',
    address: '서울특별시 중구 세종대로 110',
    founded_on: '2019-04-01',
    paid_in_capital: '500,000,000',
    employees: '42',
    sanctions_history: 'none',
    criminal_record: 'none',
  },
  service: {
    service_name: '테스트페이',
    service_kind: 'simple_payment',
    description:
      '가맹점에서 사용자 계좌로 바로 결제하는 간편결제 서비스입니다. 잔액을 확인한 뒤 출금이체로 결제합니다.',
    launch_date: '2027-06-01',
  },
  apis: {
    apis: ['balance', 'withdraw', 'transfer_result'],
    calls_balance: '100,000',
    calls_withdraw: '50000',
    calls_transfer_result: '5,000',
    guarantee_kind: 'insurance',
    guarantee_amount: '300,000,000',
  },
  technical: {
    callback_urls: 'https://pay.test-fintech.example/oauth/callback\nhttp://localhost:8080/callback',
    server_ips: '203.0.113.10\n198.51.100.0/24',
    security_staff_count: '3',
    ciso_name: '정보안',
  },
  contacts: {
    business_name: '이업무',
    business_email: 'biz@test-fintech.example',
    business_phone: '02-123-4567',
    technical_name: '박기술',
    technical_email: 'dev@test-fintech.example',
    technical_phone: '010-1234-5678',
    privacy_name: '최보호',
    privacy_email: 'privacy@test-fintech.example',
    privacy_phone: '031-987-6543',
    complaint_channel: '1588-0000, help@test-fintech.example',
    complaint_days: '5',
  },
} as const;

/** The documents VALID_ANSWERS need (a corporation requesting withdrawals needs all five). */
export const REQUIRED_DOCUMENTS = [
  'business_registration',
  'corporate_register',
  'financial_statements',
  'privacy_policy',
  'guarantee_certificate',
] as const;

/** Uploads one document through the real page (multipart, with the page's CSRF token). */
export async function uploadDocument(
  b: Browser,
  id: string,
  kind: string,
  file: FilePart = { filename: `${kind}.pdf`, content: SAMPLE_FILES.pdf, contentType: 'application/pdf' },
): Promise<LightMyRequestResponse> {
  return postMultipart(b, `/applications/${id}/documents`, { kind }, [file], {
    formUrl: `/applications/${id}/documents`,
  });
}

/** Uploads every document in `kinds` (each must be accepted). */
export async function uploadDocuments(
  b: Browser,
  id: string,
  kinds: readonly string[] = REQUIRED_DOCUMENTS,
): Promise<void> {
  for (const kind of kinds) {
    const res = await uploadDocument(b, id, kind);
    if (res.statusCode !== 303) throw new Error(`upload ${kind} failed: ${res.statusCode} ${res.body.slice(0, 2000)}`);
  }
}

const SECTIONS = ['company', 'service', 'apis', 'technical', 'contacts'] as const;
export const ALL_DECLARATIONS = {
  declare_accuracy: 'yes',
  declare_inquiry_consent: 'yes',
  declare_withdrawal_consent: 'yes',
};

function fields(o: Record<string, string | readonly string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]]));
}

/** Creates the organization's draft and returns its id. */
export async function startApplication(b: Browser): Promise<string> {
  const res = await b.post('/applications', {}, { formUrl: '/applications' });
  if (res.statusCode !== 303) throw new Error(`start failed: ${res.statusCode}`);
  const m = /\/applications\/([0-9a-f-]{36})/.exec(String(res.headers.location));
  if (m) return m[1]!;
  const home = await b.get('/applications');
  const m2 = /\/applications\/([0-9a-f-]{36})\//.exec(home.body);
  if (!m2) throw new Error('no application id on the home page');
  return m2[1]!;
}

/**
 * Fills every section with "Save and continue", then (unless `documents: false`) uploads the documents the answers
 * need, so the application is ready to submit.
 */
export async function fillAllSections(
  b: Browser,
  id: string,
  answers = VALID_ANSWERS,
  opts: { documents?: boolean } = {},
): Promise<void> {
  for (const s of SECTIONS) {
    const res = await b.post(`/applications/${id}/${s}`, { ...fields(answers[s]), action: 'continue' });
    if (res.statusCode !== 303) throw new Error(`section ${s} failed: ${res.statusCode} ${res.body.slice(0, 2000)}`);
  }
  if (opts.documents !== false)
    await uploadDocuments(
      b,
      id,
      requiredDocumentKinds(answers as unknown as Parameters<typeof requiredDocumentKinds>[0]),
    );
}

/** Signs up a new organization and submits a complete application. */
export async function submittedApplication(
  app: FastifyInstance,
  email = 'owner@test-fintech.example',
): Promise<{ browser: Browser; id: string; submit: LightMyRequestResponse }> {
  const browser = await signUp(app, { email, organization: '테스트핀테크' });
  const id = await startApplication(browser);
  await fillAllSections(browser, id);
  const submit = await browser.post(`/applications/${id}/submit`, ALL_DECLARATIONS, {
    formUrl: `/applications/${id}/check`,
  });
  if (submit.statusCode !== 303) throw new Error(`submit failed: ${submit.statusCode} ${submit.body.slice(0, 2000)}`);
  return { browser, id, submit };
}
