import t from 'tap';
import { signatureNameMatches } from '../../src/contract/signature-name-match';
import { fourEyesViolation } from '../../src/contract/countersign-four-eyes';
import {
  buildContractDocument,
  formatBusinessRegistrationNumber,
  freezeContractDocument,
} from '../../src/contract/contract-document';
import { CURRENT_FEE_SCHEDULE, CURRENT_TERMS_VERSION } from '../../src/contract/fee-schedule';
import { API_KEYS } from '../../src/onboarding/api-catalogue';
import { contractText } from '../../src/contract/contract-text';

t.test('a signature counts only when the typed name is the account name', async (t) => {
  t.ok(signatureNameMatches('김테스트', '김테스트'));
  t.ok(signatureNameMatches('  Jane   Doe ', 'jane doe'), 'case and spacing do not matter');
  t.ok(signatureNameMatches('\u1100\u1175\u11b7', '김'), 'decomposed Hangul matches');
  t.notOk(signatureNameMatches('김테스', '김테스트'));
  t.notOk(signatureNameMatches('', ''), 'an empty name never matches');
});

t.test('the countersigner is neither the suitability approver nor the signer', async (t) => {
  t.equal(fourEyesViolation('a', { suitabilityApproverIds: ['a'], signerId: 's' }), 'approved_suitability');
  t.equal(fourEyesViolation('s', { suitabilityApproverIds: ['a'], signerId: 's' }), 'signed_contract');
  t.equal(fourEyesViolation('c', { suitabilityApproverIds: ['a', 'b'], signerId: 's' }), null);
});

t.test('the fee schedule is versioned data covering every billed API in the catalogue', async (t) => {
  t.equal(CURRENT_TERMS_VERSION, '2026-1');
  const fee = (k: string) => CURRENT_FEE_SCHEDULE.items.find((i) => i.callType === k)?.feePerCall;
  t.same(
    [fee('balance'), fee('transaction_list'), fee('real_name'), fee('receive'), fee('withdraw'), fee('deposit')],
    [20, 20, 30, 30, 50, 50],
  );
  for (const item of CURRENT_FEE_SCHEDULE.items)
    t.ok(API_KEYS.includes(item.callType), `${item.callType} is a catalogue API`);
});

t.test('the contract document is generated from the submitted answers and frozen with a stable hash', async (t) => {
  const answers = {
    company: {
      legal_name: '주식회사 예시',
      business_registration_number: '2148712348',
      representative: '박대표',
      address: '서울',
    },
    service: { service_name: '예시페이', description: '간편결제' },
    apis: { apis: ['withdraw', 'balance', 'transfer_result'], calls_balance: '1,000', calls_withdraw: '500' },
  };
  const doc = buildContractDocument({
    answers,
    applicationReference: 'OB-2026-000001',
    applicationVersion: 2,
    schedule: CURRENT_FEE_SCHEDULE,
  });
  t.same(doc.organization, {
    legalName: '주식회사 예시',
    businessRegistrationNumber: '2148712348',
    representative: '박대표',
    address: '서울',
  });
  t.same(
    doc.apis.map((a) => [a.key, a.feePerCall]),
    [
      ['balance', 20],
      ['withdraw', 50],
      ['transfer_result', null],
    ],
    'catalogue order; unbilled APIs have no fee',
  );
  t.equal(doc.termsVersion, '2026-1');
  t.equal(formatBusinessRegistrationNumber('2148712348'), '214-87-12348');
  t.equal(
    freezeContractDocument(doc).sha256,
    freezeContractDocument(
      buildContractDocument({
        answers,
        applicationReference: 'OB-2026-000001',
        applicationVersion: 2,
        schedule: CURRENT_FEE_SCHEDULE,
      }),
    ).sha256,
  );
  const ko = contractText('ko', doc, null);
  const en = contractText('en', doc, '2026-12-01');
  t.equal(ko.parties[0]!.name, '사단법인 금융결제원');
  t.match(en.articles[4]!.paragraphs[0]!, '2026-12-01');
  t.equal(ko.apis.length, 3);
});
