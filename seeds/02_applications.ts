// Demo data, part 2: the two demo organizations' applications (runs after 01_accounts.ts).
// 데모핀테크: complete, submitted as version 1 (OB-2026-000001), approved in suitability, now in testing.
// 샘플페이: complete, submitted (OB-2026-000002), waiting for suitability review.
// Both with the documents their answers need (application_files), frozen in version 1 like a real submission.
// Deterministic: fixed ids and timestamps; answers are normalized by the same validators the pages use.
import type { Knex } from 'knex';
import { DEMO_IDS, DEMO_ORGS } from '../src/demo-accounts';
import { SECTION_KEYS, validateSection, type SectionData, type SectionKey } from '../src/onboarding/sections';
import crypto from 'node:crypto';
import { requiredDeclarations } from '../src/onboarding/declarations';
import { requiredDocumentKinds, type FrozenDocument } from '../src/onboarding/application-documents';

/** A small PDF per document (its first bytes prove the type), the same bytes every time. */
function demoPdf(title: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'utf8',
  );
}

const DOCUMENT_TITLES: Record<string, string> = {
  business_registration: '사업자등록증',
  corporate_register: '법인 등기사항전부증명서',
  financial_statements: '2025 사업연도 재무제표',
  privacy_policy: '개인정보 처리방침',
  guarantee_certificate: '보증 증빙',
};

export const DEMO_APPLICATION_IDS = {
  demoFintech: '0c6f3a1e-5b7d-4c2a-9e81-3f2d6b8a7c01',
  samplePay: '7e2b9d40-1a6c-4f58-b3d7-9c0e5a1f8b02',
};

type FormAnswers = Record<SectionKey, SectionData>;

const DEMO_FINTECH_ANSWERS: FormAnswers = {
  company: {
    legal_name: '주식회사 데모핀테크',
    business_type: 'corporation',
    business_registration_number: '105-87-01232',
    corporate_registration_number: '110111-8045125',
    representative: '정데모',
    address: '서울특별시 강남구 테헤란로 123, 8층 (역삼동, 데모타워)',
    founded_on: '2021-03-02',
    paid_in_capital: '300,000,000',
    employees: '27',
    sanctions_history: 'none',
    criminal_record: 'none',
  },
  service: {
    service_name: '데모페이',
    service_kind: 'simple_payment',
    description:
      '사용자가 등록한 은행 계좌로 온라인 가맹점에서 바로 결제하는 간편결제 서비스입니다. 결제 전에 잔액을 조회하고, 출금이체로 결제 대금을 받은 뒤 가맹점에 입금이체로 정산합니다. 환불은 입금이체로 처리합니다.',
    launch_date: '2027-03-02',
  },
  apis: {
    apis: [
      'balance',
      'transaction_list',
      'real_name',
      'remit_list',
      'receive',
      'withdraw',
      'deposit',
      'transfer_result',
    ],
    calls_balance: '300,000',
    calls_transaction_list: '80,000',
    calls_real_name: '20,000',
    calls_remit_list: '5,000',
    calls_receive: '40,000',
    calls_withdraw: '150,000',
    calls_deposit: '40,000',
    calls_transfer_result: '3,000',
    guarantee_kind: 'insurance',
    guarantee_amount: '500,000,000',
  },
  technical: {
    callback_urls: 'http://localhost:8080/callback',
    server_ips: '127.0.0.1\n203.0.113.0/24',
    security_staff_count: '3',
    ciso_name: '윤개발',
  },
  contacts: {
    business_name: '정데모',
    business_email: 'owner@demo-fintech.example',
    business_phone: '02-555-0100',
    technical_name: '윤개발',
    technical_email: 'dev@demo-fintech.example',
    technical_phone: '010-2345-6789',
    privacy_name: '서보호',
    privacy_email: 'privacy@demo-fintech.example',
    privacy_phone: '02-555-0199',
    complaint_channel: '1588-0100, help@demo-fintech.example',
    complaint_days: '5',
  },
};

const SAMPLE_PAY_ANSWERS: FormAnswers = {
  company: {
    legal_name: '주식회사 샘플페이',
    business_type: 'corporation',
    business_registration_number: '211-88-04564',
    corporate_registration_number: '110111-9123459',
    representative: '한샘플',
    address: '경기도 성남시 분당구 판교역로 235, 3층',
    founded_on: '2023-07-17',
    paid_in_capital: '150,000,000',
    employees: '12',
    sanctions_history: 'some',
    sanctions_details:
      '2025년 3월 금융감독원 경영유의 1건(전자금융거래 기록 보존 미흡). 2025년 6월 기록 보존 체계를 보완해 조치 완료.',
    criminal_record: 'none',
  },
  service: {
    service_name: '샘플송금',
    service_kind: 'simple_remittance',
    description:
      '친구나 가족에게 계좌번호만으로 돈을 보내는 간편송금 앱입니다. 받는 계좌를 수취조회로 확인한 뒤 보내는 사람 계좌에서 출금이체하고 받는 계좌로 입금이체합니다.',
    launch_date: '2027-05-03',
  },
  apis: {
    apis: ['balance', 'receive', 'withdraw', 'deposit', 'transfer_result'],
    calls_balance: '60,000',
    calls_receive: '45,000',
    calls_withdraw: '45,000',
    calls_deposit: '45,000',
    calls_transfer_result: '1,000',
    guarantee_kind: 'deposit',
    guarantee_amount: '200,000,000',
  },
  technical: {
    callback_urls: 'https://app.sample-pay.example/oauth/callback\nhttp://localhost:8080/callback',
    server_ips: '198.51.100.24\n198.51.100.25',
    security_staff_count: '1',
    ciso_name: '조기술',
  },
  contacts: {
    business_name: '한샘플',
    business_email: 'owner@sample-pay.example',
    business_phone: '031-700-1234',
    technical_name: '조기술',
    technical_email: 'tech@sample-pay.example',
    technical_phone: '010-9876-5432',
    privacy_name: '한샘플',
    privacy_email: 'owner@sample-pay.example',
    privacy_phone: '031-700-1234',
    complaint_channel: 'https://sample-pay.example/help',
    complaint_days: '7',
  },
};

/** The stored form of the answers, exactly as the pages would have saved them on that day. */
function normalized(answers: FormAnswers, today: string): FormAnswers {
  const out = {} as FormAnswers;
  for (const k of SECTION_KEYS) {
    const { data, errors } = validateSection(k, answers[k], { today });
    if (errors.length)
      throw new Error(`demo answers for ${k} are invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join(', ')}`);
    out[k] = data;
  }
  return out;
}

interface DemoApplication {
  id: string;
  orgId: string;
  ownerId: string;
  ownerEmail: string;
  reference: string;
  answers: FormAnswers;
  createdAt: string;
  submittedAt: string;
  stage: string;
  status: string;
  stageEnteredAt: string;
}

async function insertApplication(trx: Knex.Transaction, a: DemoApplication, eventIds: string[]): Promise<void> {
  const stored = normalized(a.answers, a.submittedAt.slice(0, 10));
  await trx('applications').insert({
    id: a.id,
    organization_id: a.orgId,
    reference: a.reference,
    stage: a.stage,
    status: a.status,
    current_version: 1,
    changes_requested_sections: null,
    claimed_by: null,
    stage_entered_at: a.stageEnteredAt,
    submitted_at: a.submittedAt,
    created_at: a.createdAt,
    updated_at: a.stageEnteredAt,
  });
  for (const k of SECTION_KEYS) {
    await trx('application_answers').insert({
      application_id: a.id,
      section: k,
      data: JSON.stringify(stored[k]),
      updated_at: a.submittedAt,
      updated_by: a.ownerId,
    });
  }
  const declarations = requiredDeclarations(stored.apis.apis as string[]);
  // The documents the answers need, uploaded a little before submission; ids follow the event ids' pattern.
  const documents: FrozenDocument[] = [];
  for (const [i, kind] of requiredDocumentKinds(stored).entries()) {
    const content = demoPdf(`${String(stored.company.legal_name)} ${DOCUMENT_TITLES[kind]}`);
    const doc: FrozenDocument = {
      kind,
      fileId: eventIds[0]!.replace(/-8000-0000000000\d\d$/, `-8000-0000000001${String(i).padStart(2, '0')}`),
      version: 1,
      filename: `${DOCUMENT_TITLES[kind]}.pdf`,
      contentType: 'application/pdf',
      sizeBytes: content.length,
      sha256: crypto.createHash('sha256').update(content).digest('hex'),
    };
    await trx('application_files').insert({
      id: doc.fileId,
      application_id: a.id,
      organization_id: a.orgId,
      slot: kind,
      version: 1,
      filename: doc.filename,
      content_type: doc.contentType,
      size_bytes: doc.sizeBytes,
      sha256: doc.sha256,
      content,
      uploaded_by: a.ownerId,
      uploaded_at: a.submittedAt,
    });
    documents.push(doc);
  }
  await trx('application_versions').insert({
    id: eventIds[0],
    application_id: a.id,
    version: 1,
    stage: 'application',
    answers: JSON.stringify({ ...stored, declarations, documents }),
    submitted_by: a.ownerId,
    submitted_at: a.submittedAt,
  });
  const actor = { actor_user_id: a.ownerId, actor_label: a.ownerEmail };
  await trx('audit_events').insert([
    {
      id: eventIds[1],
      organization_id: a.orgId,
      application_id: a.id,
      ...actor,
      event: 'application.created',
      from_state: null,
      to_state: 'application:draft',
      reason: null,
      internal: false,
      data: null,
      created_at: a.createdAt,
    },
    {
      id: eventIds[2],
      organization_id: a.orgId,
      application_id: a.id,
      ...actor,
      event: 'application.submitted',
      from_state: 'application:draft',
      to_state: 'suitability:submitted',
      reason: null,
      internal: false,
      data: JSON.stringify({ version: 1, reference: a.reference, declarations }),
      created_at: a.submittedAt,
    },
  ]);
}

export async function seed(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    const reviewer = await trx('users')
      .where({ email: 'reviewer@portal.example' })
      .first<{ id: string } | undefined>('id');
    await insertApplication(
      trx,
      {
        id: DEMO_APPLICATION_IDS.demoFintech,
        orgId: DEMO_IDS.demoFintechOrg,
        ownerId: DEMO_IDS.demoFintechOwner,
        ownerEmail: DEMO_ORGS.demoFintech.owner,
        reference: 'OB-2026-000001',
        answers: DEMO_FINTECH_ANSWERS,
        createdAt: '2026-11-02T01:00:00.000Z',
        submittedAt: '2026-11-05T02:30:00.000Z',
        stage: 'testing',
        status: 'in_progress',
        stageEnteredAt: '2026-11-10T05:00:00.000Z',
      },
      [
        'd1a0b7c2-0001-4a00-8000-000000000001',
        'd1a0b7c2-0001-4a00-8000-000000000002',
        'd1a0b7c2-0001-4a00-8000-000000000003',
      ],
    );
    await trx('audit_events').insert({
      id: 'd1a0b7c2-0001-4a00-8000-000000000004',
      organization_id: DEMO_IDS.demoFintechOrg,
      application_id: DEMO_APPLICATION_IDS.demoFintech,
      actor_user_id: reviewer?.id ?? null,
      actor_label: 'reviewer@portal.example',
      event: 'application.approved',
      from_state: 'suitability:submitted',
      to_state: 'testing:in_progress',
      reason: '점검표 모든 항목 적합. 테스트베드에서 신청한 8개 API를 모두 시험해 주세요.',
      internal: false,
      data: null,
      created_at: '2026-11-10T05:00:00.000Z',
    });
    await insertApplication(
      trx,
      {
        id: DEMO_APPLICATION_IDS.samplePay,
        orgId: DEMO_IDS.samplePayOrg,
        ownerId: DEMO_IDS.samplePayOwner,
        ownerEmail: DEMO_ORGS.samplePay.owner,
        reference: 'OB-2026-000002',
        answers: SAMPLE_PAY_ANSWERS,
        createdAt: '2026-11-18T00:40:00.000Z',
        submittedAt: '2026-11-20T07:15:00.000Z',
        stage: 'suitability',
        status: 'submitted',
        stageEnteredAt: '2026-11-20T07:15:00.000Z',
      },
      [
        'd1a0b7c2-0002-4a00-8000-000000000001',
        'd1a0b7c2-0002-4a00-8000-000000000002',
        'd1a0b7c2-0002-4a00-8000-000000000003',
      ],
    );
    // Two references used this year: the next submission gets OB-2026-000003.
    await trx('reference_counters').insert({ year: 2026, last_value: 2 });
  });
}
