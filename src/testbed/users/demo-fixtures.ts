// The demo sandbox (seeds/03_sandbox.ts) as constants: documented in the README and used by tests.
// These are test-bed values only; the demo data is never loaded in production.
import { DEMO_IDS } from '../../demo-accounts';

export const DEMO_SANDBOX = {
  organizationId: DEMO_IDS.demoFintechOrg,
  credentialSetId: '5a0e7c1d-3f4b-4e2a-8d6c-9b1f0e2d3c41',
  clientUseCode: 'M202600001',
  clientId: '4f2d7f3a-9a0c-4c1e-8b5d-0d3e5a7c1b11',
  clientSecret: '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  callbackUrl: 'http://localhost:8080/callback',
  contractAccounts: {
    withdrawCollecting: { bankCode: '097', accountNum: '1002600000001', openingBalance: 0 },
    depositPaying: { bankCode: '097', accountNum: '1002600000002', openingBalance: 100_000_000 },
    fee: { bankCode: '097', accountNum: '1002600000003', openingBalance: 0 },
  },
} as const;

export const TEST_PERSON_PASSWORD = 'test1234!';

export interface DemoPerson {
  userSeqNo: string;
  loginId: string;
  name: string;
  birthDate: string;
  phone: string;
  accounts: { bankCode: string; accountNum: string; openingBalance: number; productName?: string }[];
}

/** Global test people (shared by every organization). */
export const DEMO_PEOPLE: Record<string, DemoPerson> = {
  hong: {
    userSeqNo: '1100000001',
    loginId: 'hong',
    name: '홍길동',
    birthDate: '1988-01-01',
    phone: '01012345678',
    accounts: [
      { bankCode: '097', accountNum: '1101230000678', openingBalance: 3_000_000, productName: '보통예금' },
      { bankCode: '097', accountNum: '1101230000685', openingBalance: 3_000, productName: '보통예금' },
      { bankCode: '088', accountNum: '110234567890', openingBalance: 500_000, productName: '신한 주거래 우대통장' },
    ],
  },
  heo: {
    userSeqNo: '1100000002',
    loginId: 'heo',
    name: '허균',
    birthDate: '1969-11-10',
    phone: '01023456789',
    accounts: [{ bankCode: '097', accountNum: '1101230000692', openingBalance: 1_000_000, productName: '보통예금' }],
  },
  kim: {
    userSeqNo: '1100000003',
    loginId: 'kim',
    name: '김민준',
    birthDate: '1995-03-14',
    phone: '01034567890',
    accounts: [
      { bankCode: '097', accountNum: '1101230000708', openingBalance: 12_500_000, productName: '보통예금' },
      { bankCode: '004', accountNum: '94320204567891', openingBalance: 250_000, productName: 'KB국민ONE통장' },
    ],
  },
  lee: {
    userSeqNo: '1100000004',
    loginId: 'lee',
    name: '이서연',
    birthDate: '2001-07-22',
    phone: '01045678901',
    accounts: [
      { bankCode: '090', accountNum: '333301234567', openingBalance: 80_000, productName: '카카오뱅크 입출금통장' },
    ],
  },
  park: {
    userSeqNo: '1100000005',
    loginId: 'park',
    name: '박지훈',
    birthDate: '1979-12-03',
    phone: '01056789012',
    accounts: [{ bankCode: '097', accountNum: '1101230000715', openingBalance: 0, productName: '보통예금' }],
  },
};
