import t from 'tap';
import { parseTestingReportForm } from '../../src/workflow/testing-report';

const valid = {
  period_start: '2026.10.01',
  period_end: '20261020',
  tested_balance: '정상 응답과 오류 응답을 확인했습니다.',
  notes: ' 없음 ',
};

t.test('a test completion report says what was tested for every requested API over an ended period', async (t) => {
  const ok = parseTestingReportForm(valid, ['balance'], '2026-11-02');
  t.same(ok.errors, []);
  t.same(ok.report, {
    periodStart: '2026-10-01',
    periodEnd: '2026-10-20',
    apis: [{ api: 'balance', tested: '정상 응답과 오류 응답을 확인했습니다.' }],
    notes: '없음',
  });

  const missing = parseTestingReportForm({ ...valid, tested_balance: '짧음' }, ['balance', 'withdraw'], '2026-11-02');
  t.same(
    missing.errors.map((e) => e.field),
    ['tested_balance', 'tested_withdraw'],
  );
  t.equal(missing.report, null);

  t.same(
    parseTestingReportForm({ ...valid, period_end: '2026-09-30' }, ['balance'], '2026-11-02').errors.map(
      (e) => e.message,
    ),
    ['workflow.testing.errors.end_before_start'],
  );
  t.same(
    parseTestingReportForm({ ...valid, period_end: '2026-11-03' }, ['balance'], '2026-11-02').errors.map(
      (e) => e.message,
    ),
    ['workflow.testing.errors.end_in_future'],
  );
  t.same(
    parseTestingReportForm({ ...valid, period_start: '2026-02-30' }, ['balance'], '2026-11-02').errors.map(
      (e) => e.field,
    ),
    ['period_start'],
  );
  t.same(
    parseTestingReportForm({ ...valid, tested_balance: ['a', 'b'] }, ['balance'], '2026-11-02').errors.map(
      (e) => e.field,
    ),
    ['tested_balance'],
    'duplicate fields are refused',
  );
  t.same(
    parseTestingReportForm({ ...valid, notes: 'x'.repeat(4001) }, ['balance'], '2026-11-02').errors.map((e) => e.field),
    ['notes'],
  );
});
