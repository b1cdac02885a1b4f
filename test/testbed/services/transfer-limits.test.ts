// The limit rule as a pure function: user per transfer and per day, organization per day and per month.
import t from 'tap';
import {
  depositLimitRefusal,
  SANDBOX_LIMITS,
  withdrawLimitRefusal,
} from '../../../src/testbed/services/transfer-limits';

const none = { dailyUser: 0, dailyOrg: 0, monthlyOrg: 0 };

t.test('a withdrawal within every limit is allowed, up to exactly the limit', async (t) => {
  t.equal(withdrawLimitRefusal(SANDBOX_LIMITS, none, 1_000_000), null);
  t.equal(withdrawLimitRefusal(SANDBOX_LIMITS, { ...none, dailyUser: 4_000_000 }, 1_000_000), null);
});

t.test('the user limits answer A0111/455 per transfer and A0112/456 per day', async (t) => {
  t.same(withdrawLimitRefusal(SANDBOX_LIMITS, none, 1_000_001), { rspCode: 'A0111', bankRspCode: '455' });
  t.same(withdrawLimitRefusal(SANDBOX_LIMITS, { ...none, dailyUser: 4_000_001 }, 1_000_000), {
    rspCode: 'A0112',
    bankRspCode: '456',
  });
});

t.test('the organization limits answer A0103 per day and A0104 per month', async (t) => {
  t.same(withdrawLimitRefusal(SANDBOX_LIMITS, { ...none, dailyOrg: SANDBOX_LIMITS.orgWithdrawDaily }, 1), {
    rspCode: 'A0103',
  });
  t.same(withdrawLimitRefusal(SANDBOX_LIMITS, { ...none, monthlyOrg: SANDBOX_LIMITS.orgWithdrawMonthly }, 1), {
    rspCode: 'A0104',
  });
});

t.test('organization deposits answer A0101 per day and A0102 per month', async (t) => {
  t.equal(depositLimitRefusal(SANDBOX_LIMITS, { dailyOrg: 0, monthlyOrg: 0 }, SANDBOX_LIMITS.orgDepositDaily), null);
  t.same(depositLimitRefusal(SANDBOX_LIMITS, { dailyOrg: SANDBOX_LIMITS.orgDepositDaily, monthlyOrg: 0 }, 1), {
    rspCode: 'A0101',
  });
  t.same(depositLimitRefusal(SANDBOX_LIMITS, { dailyOrg: 0, monthlyOrg: SANDBOX_LIMITS.orgDepositMonthly }, 1), {
    rspCode: 'A0102',
  });
});
