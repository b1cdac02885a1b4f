// Workflow test fixtures: staff accounts, a controllable clock, and applications moved through the real
// pages and service to the state a test needs.
import type { FastifyInstance } from 'fastify';
import { Browser } from './build';
import { submittedApplication } from './onboarding';
import { SUITABILITY_ITEMS } from '../../src/workflow/suitability-checklist';
import type { CurrentUser, StaffRole } from '../../src/accounts/types';

export const STAFF_PASSWORD = 'staff-password-1';

/** A clock the test moves by hand. */
export function manualClock(start = '2026-11-02T01:00:00.000Z') {
  let now = new Date(start).getTime();
  const clock = () => new Date(now);
  return Object.assign(clock, {
    set(iso: string) {
      now = new Date(iso).getTime();
    },
    advanceDays(days: number) {
      now += days * 24 * 3600 * 1000;
    },
  });
}

export async function staffUser(
  app: FastifyInstance,
  role: StaffRole,
  email = `${role}@staff.example`,
): Promise<{ browser: Browser; user: CurrentUser }> {
  const id = await app.services.accounts.createUserDirect({
    email,
    name: `${role} 직원`,
    password: STAFF_PASSWORD,
    staffRole: role,
  });
  const browser = new Browser(app);
  await browser.login(email, STAFF_PASSWORD);
  const user = await app.services.accounts.loadCurrentUser(id);
  return { browser, user: user! };
}

/** Saves an all-pass checklist through the staff page. */
export async function passChecklist(reviewer: Browser, id: string, overrides: Record<string, string> = {}) {
  const fields: Record<string, string> = {};
  for (const item of SUITABILITY_ITEMS) fields[`result_${item}`] = 'pass';
  return reviewer.post(
    `/staff/applications/${id}/checklist`,
    { ...fields, ...overrides },
    { formUrl: `/staff/applications/${id}` },
  );
}

/** A submitted application approved at suitability by a reviewer: now in testing:in_progress. */
export async function applicationInTesting(app: FastifyInstance, reviewer: Browser, email?: string) {
  const applicant = await submittedApplication(app, email);
  const c = await passChecklist(reviewer, applicant.id);
  if (c.statusCode !== 303) throw new Error(`checklist failed: ${c.statusCode}`);
  const res = await reviewer.post(
    `/staff/applications/${applicant.id}/decision`,
    { event: 'approve', reason: '적합성 요건을 모두 충족합니다.' },
    { formUrl: `/staff/applications/${applicant.id}` },
  );
  if (res.statusCode !== 303) throw new Error(`approve failed: ${res.statusCode} ${res.body.slice(0, 1500)}`);
  return applicant;
}

export const VALID_REPORT = {
  period_start: '2026-10-01',
  period_end: '2026-10-20',
  tested_balance: '잔액조회 정상 응답과 잘못된 핀테크이용번호 오류(A0001)를 확인했습니다.',
  tested_withdraw: '출금이체 정상, 잔액 부족, 한도 초과 사례를 테스트했습니다.',
  tested_transfer_result: '이체결과조회로 처리 중 거래의 결과를 다시 확인했습니다.',
  notes: '',
};
