// Rule: KFTC codes are a typed set with their messages. A refusal raised with a code that is not in the
// catalogue does not compile (the @ts-expect-error lines below fail `npx tsc --noEmit -p .` the day the
// codes become plain strings again), and every refusal class answers its rule's code and reference message.
import t from 'tap';
import {
  type BankRspCode,
  KftcError,
  type KftcRspCode,
  bankMessages,
  kftcError,
  messages,
  rspMessage,
} from '../../src/testbed/common/kftc-error';
import * as refusals from '../../src/testbed/common/kftc-refusals';
import { BankRefused, KftcRefusal, TransferConsentMissing } from '../../src/testbed/common/kftc-refusals';
import {
  BANK_RSP_CODE_BY_ACCOUNT_STATE,
  OTHER_BANK_REFUSAL,
  bankRspCodeFor,
} from '../../src/testbed/services/bank-answers';
import { MARKERS, SCENARIOS } from '../../src/testbed/scenarios/catalogue';

t.test('an unknown rsp_code or bank_rsp_code does not compile', async (t) => {
  const compileOnly = () => {
    // @ts-expect-error A0399 is not a KFTC code the emulator answers
    kftcError('A0399');
    // @ts-expect-error a typo of A0305
    new KftcRefusal('A305');
    // @ts-expect-error not a KftcRspCode
    new KftcError('X0001', 'x');
    // @ts-expect-error 498 is not a bank code of the catalogue
    new BankRefused({ bankRspCode: '498', bankTranId: 'x', bankCode: '097', now: new Date() });
    // @ts-expect-error only the limit codes
    new refusals.LimitExceeded('A0305');
    const code: KftcRspCode = 'A0305';
    const bank: BankRspCode = '453';
    return [code, bank];
  };
  t.type(compileOnly, 'function', 'the checks above are compile-time only');
});

t.test('every refusal class answers its code with the reference message', async (t) => {
  const made = Object.entries(refusals)
    .filter(([name, value]) => typeof value === 'function' && /^[A-Z]/.test(name) && name !== 'KftcRefusal')
    .filter(([name]) => !['BankRefused', 'LimitExceeded', 'PassPhraseMismatch'].includes(name))
    .map(([name, Refusal]) => [name, new (Refusal as new (echo?: object) => KftcError)({ x: '1' })] as const);
  t.ok(made.length >= 12, `${made.length} classes`);
  for (const [name, err] of made) {
    t.ok(err instanceof KftcRefusal, `${name} is a KftcRefusal`);
    t.equal(err.rspMessage, messages[err.rspCode], `${name}: ${err.rspCode} ${err.rspMessage}`);
    t.same(err.extra, { x: '1' }, `${name} echoes the request fields`);
  }
  const consent = new TransferConsentMissing({ fintech_use_num: '1' });
  t.equal(consent.rspCode, 'A0306');
  t.equal(consent.rspMessage, '출금동의 미완료');
  const bank = new BankRefused({ bankRspCode: '453', bankTranId: 'T', bankCode: '097', now: new Date(0) });
  t.equal(bank.rspCode, 'A0002');
  t.equal(bank.bankRspCode, '453');
  t.equal(bank.extra.bank_rsp_message, '예금잔액 부족');
});

t.test('every code the scenarios answer is in the catalogue with a message', async (t) => {
  for (const sc of SCENARIOS) {
    for (const code of sc.rspCode.split(' / ')) t.type(messages[code], 'string', `${sc.id}: ${code}`);
    if (sc.bankRspCode) t.ok(bankMessages[sc.bankRspCode], `${sc.id}: bank ${sc.bankRspCode}`);
  }
  for (const [marker, outcome] of Object.entries(MARKERS)) t.type(rspMessage(outcome.rspCode), 'string', marker);
});

t.test('one table maps account state to bank_rsp_code, with one named fallback', async (t) => {
  t.same(BANK_RSP_CODE_BY_ACCOUNT_STATE, {
    closed: '415',
    accident: '419',
    suspended: '420',
    missing: '412',
    insufficient_funds: '453',
  });
  t.equal(bankRspCodeFor('suspended'), '420');
  t.equal(bankRspCodeFor('frozen'), OTHER_BANK_REFUSAL, 'a state the table does not name');
  t.equal(bankMessages[OTHER_BANK_REFUSAL], '기타 처리불가');
});
