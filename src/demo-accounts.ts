// The fixed demo accounts (loaded by seeds/ into an empty database outside production).
export const DEMO_PASSWORD = 'demo-password-1';
export const DEMO_STAFF = [
  { email: 'reviewer@portal.example', name: '김심사', role: 'reviewer' as const },
  // A second reviewer: no person decides two stages of one application (src/workflow/separation-of-duties.ts).
  { email: 'reviewer2@portal.example', name: '윤심사', role: 'reviewer' as const },
  { email: 'inspector@portal.example', name: '이점검', role: 'inspector' as const },
  { email: 'contract@portal.example', name: '박계약', role: 'contract_officer' as const },
  { email: 'admin@portal.example', name: '최관리', role: 'admin' as const },
];
export const DEMO_ORGS = {
  demoFintech: { name: '데모핀테크', owner: 'owner@demo-fintech.example', ownerName: '정데모' },
  samplePay: { name: '샘플페이', owner: 'owner@sample-pay.example', ownerName: '한샘플' },
};

export const DEMO_ACCOUNTS_TEXT = [
  'Demo accounts (password for all: demo-password-1):',
  ...DEMO_STAFF.map((s) => `  ${s.role.padEnd(17)} ${s.email}`),
  `  fintech owner     ${DEMO_ORGS.demoFintech.owner} (${DEMO_ORGS.demoFintech.name}: in development and testing)`,
  `  fintech owner     ${DEMO_ORGS.samplePay.owner} (${DEMO_ORGS.samplePay.name}: waiting for suitability review)`,
].join('\n');

/** Fixed ids so that later seed files (applications, sandbox, ledger) can refer to the demo organizations. */
export const DEMO_IDS = {
  demoFintechOrg: '6d1f0c52-3b8e-4f7a-9c21-5e8d7a4b2f10',
  samplePayOrg: 'a83c5e17-2d64-4b9f-8e05-c1f7d2a96b34',
  demoFintechOwner: '2b9e7d41-8c3a-4e6f-b152-7a0d9c8e3f21',
  samplePayOwner: 'f4a21c86-5e0b-47d3-9a68-3c1b8e7d5a92',
};
