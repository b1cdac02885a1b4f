// Rule: inquiry/real_name takes account_holder_info_type as KFTC's sample app offers it (" ", 1–6, E, N;
// "0" kept), a missing type as " ", and a form-encoded body; what the emulator can check (birth date,
// the birth date opening a resident number, business number) is checked against the holder.
import t from 'tap';
import { HONG, bankTranId, sandbox, tranDtime } from '../../helpers/testbed-services';

const RN = '/v2.0/inquiry/real_name';

t.test('real_name holder-info types', async (t) => {
  const sb = await sandbox(t);
  const account = HONG.accounts[0]!.accountNum; // 홍길동, born 1988-01-01
  const ask = (over: Record<string, unknown>) =>
    sb.post(RN, sb.oob, {
      bank_tran_id: bankTranId(),
      bank_code_std: '097',
      account_num: account,
      tran_dtime: tranDtime(),
      ...over,
    });

  await t.test("every type of KFTC's sample is accepted with a value of its form", async (t) => {
    const values: Record<string, string> = {
      ' ': '880101',
      0: '880101',
      1: '8801011234567',
      2: '8801015234567',
      3: '8801015234567',
      4: '8801011234567',
      5: 'M12345678',
      6: '1234567890',
      E: 'ANY',
      N: '',
    };
    for (const [type, info] of Object.entries(values)) {
      const body = await ask({ account_holder_info_type: type, account_holder_info: info });
      if (type === '6') {
        t.equal(body.rsp_code, 'A0002', "a business number is checked: a person's account does not match it");
        continue;
      }
      t.equal(body.rsp_code, 'A0000', `type "${type}": ${body.rsp_message}`);
      t.equal(body.account_holder_info_type, type, `type "${type}" is echoed`);
      t.equal(body.account_holder_name, '홍길동');
    }
  });

  await t.test('a missing account_holder_info_type is " " (birth date)', async (t) => {
    const body = await ask({ account_holder_info: '880101' });
    t.equal(body.rsp_code, 'A0000', body.rsp_message);
    t.equal(body.account_holder_info_type, ' ');
    t.equal((await ask({ account_holder_info: '990101' })).rsp_code, 'A0002', 'and is checked like " "');
  });

  await t.test('type 1 (resident number) is checked by the birth date that opens it', async (t) => {
    t.equal((await ask({ account_holder_info_type: '1', account_holder_info: '8801011234567' })).rsp_code, 'A0000');
    t.equal((await ask({ account_holder_info_type: '1', account_holder_info: '9901011234567' })).rsp_code, 'A0002');
  });

  await t.test("a value not of its type's form answers A0004 saying what to send", async (t) => {
    const body = await ask({ account_holder_info_type: '1', account_holder_info: '880101' });
    t.equal(body.rsp_code, 'A0004');
    t.match(body.rsp_message, /account_holder_info: 주민등록번호 13자리/);
    t.equal(
      (await ask({ account_holder_info_type: 'Z', account_holder_info: '880101' })).rsp_code,
      'A0004',
      "a type outside the sample's set",
    );
  });

  await t.test('a form-encoded body is read like JSON', async (t) => {
    const res = await sb.raw({
      method: 'POST',
      url: RN,
      token: sb.oob,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      payload: new URLSearchParams({
        bank_tran_id: bankTranId(),
        bank_code_std: '097',
        account_num: account,
        account_holder_info_type: ' ',
        account_holder_info: '880101',
        tran_dtime: tranDtime(),
      }).toString(),
    });
    t.equal(res.json().rsp_code, 'A0000', res.json().rsp_message);
    t.equal(res.json().account_holder_name, '홍길동');
  });
});
