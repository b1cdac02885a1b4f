// Management APIs under /v2.0 (scope login; sa stands in): user/me, user/unlink, user/close,
// account/list, account/update_info, account/cancel — KFTC field names, codes and envelope.
import type { FastifyPluginAsync } from 'fastify';
import type { TestbedRouteOptions } from '../route-options';
import { authenticate } from '../common/token-guard';
import { bankLeg, success } from '../common/envelope';
import { fieldsOf, formatError, optionalString, reportUnknownFields, requireString } from '../common/request-fields';
import { accountItem } from './account-fields';
import { documented, managementSchema } from '../services/openapi';

const config = { csrf: false };
const doc = (
  operationId: string,
  summary: string,
  method: 'GET' | 'POST',
  fields: Record<string, string>,
  response: string[],
  optional: string[] = [],
) => ({
  config,
  ...documented(
    managementSchema({
      operationId,
      summary,
      method,
      fields,
      required: Object.keys(fields).filter((f) => !optional.includes(f)),
      response,
    }),
  ),
});
const LOGIN = ['login'];
const FINTECH = { length: 24, pattern: /^\d{24}$/, format: '숫자 24자리' };
const USER_SEQ_NO = { length: 10, pattern: /^\d{10}$/, format: '숫자 10자리' };

const emptyAssetLists = {
  inquiry_card_cnt: '0',
  inquiry_card_list: [],
  inquiry_pay_cnt: '0',
  inquiry_pay_list: [],
  inquiry_insurance_cnt: '0',
  inquiry_insurance_list: [],
  inquiry_loan_cnt: '0',
  inquiry_loan_list: [],
};

const managementRoutes: FastifyPluginAsync<TestbedRouteOptions> = async (app, { services, clock }) => {
  const m = services.testbedManagement;

  app.get(
    '/v2.0/user/me',
    doc('user_me', '사용자정보조회 — the user and their registered accounts', 'GET', { user_seq_no: '10 digits' }, [
      'user_seq_no',
      'user_ci',
      'user_name',
      'res_cnt',
      'res_list',
    ]),
    async (req, reply) => {
      const caller = await authenticate(req, LOGIN);
      const q = fieldsOf(req.query);
      reportUnknownFields(req, reply, q, ['user_seq_no']);
      const userSeqNo = requireString(q, 'user_seq_no', USER_SEQ_NO);
      const { user, accounts } = await m.me(caller, userSeqNo);
      return success(
        {
          user_seq_no: user.userSeqNo,
          user_ci: user.userCi,
          user_name: user.name,
          res_cnt: String(accounts.length),
          res_list: accounts.map((a) => accountItem(a, { withState: false })),
          ...emptyAssetLists,
        },
        clock(),
      );
    },
  );

  app.get(
    '/v2.0/account/list',
    doc(
      'account_list',
      '등록계좌조회 — registered accounts with their state',
      'GET',
      { user_seq_no: '10 digits', include_cancel_yn: 'Y/N (default N)', sort_order: 'D/A (default D)' },
      ['user_name', 'res_cnt', 'res_list'],
      ['include_cancel_yn', 'sort_order'],
    ),
    async (req, reply) => {
      const caller = await authenticate(req, LOGIN);
      const q = fieldsOf(req.query);
      reportUnknownFields(req, reply, q, ['user_seq_no', 'include_cancel_yn', 'sort_order']);
      const userSeqNo = requireString(q, 'user_seq_no', USER_SEQ_NO);
      const includeCancel = optionalString(q, 'include_cancel_yn', { oneOf: ['Y', 'N'] }) ?? 'N';
      const sortOrder = optionalString(q, 'sort_order', { oneOf: ['D', 'A'] }) ?? 'D';
      const { user, accounts } = await m.list(caller, userSeqNo, {
        includeCancelled: includeCancel === 'Y',
        order: sortOrder === 'A' ? 'asc' : 'desc',
      });
      return success(
        {
          user_name: user.name,
          res_cnt: String(accounts.length),
          res_list: accounts.map((a) => accountItem(a, { withState: true })),
        },
        clock(),
      );
    },
  );

  app.post(
    '/v2.0/account/update_info',
    doc(
      'account_update_info',
      '계좌정보변경 — the account alias',
      'POST',
      { fintech_use_num: '24 digits', account_alias: 'up to 50 characters' },
      ['fintech_use_num', 'account_alias'],
    ),
    async (req, reply) => {
      const caller = await authenticate(req, LOGIN);
      const b = fieldsOf(req.body);
      reportUnknownFields(req, reply, b, ['fintech_use_num', 'account_alias']);
      const fintechUseNum = requireString(b, 'fintech_use_num', FINTECH);
      const alias = requireString(b, 'account_alias', { max: 50 });
      const f = await m.updateAlias(caller, fintechUseNum, alias);
      return success({ fintech_use_num: f.fintechUseNum, account_alias: f.accountAlias ?? '' }, clock());
    },
  );

  app.post(
    '/v2.0/account/cancel',
    doc(
      'account_cancel',
      '계좌해지 — cancel the inquiry or transfer service of a registered account',
      'POST',
      { bank_tran_id: '20 characters', scope: 'inquiry or transfer', fintech_use_num: '24 digits' },
      ['bank_tran_id', 'bank_tran_date', 'bank_code_tran', 'bank_rsp_code', 'bank_rsp_message'],
    ),
    async (req, reply) => {
      const caller = await authenticate(req, LOGIN);
      const b = fieldsOf(req.body);
      reportUnknownFields(req, reply, b, ['bank_tran_id', 'scope', 'fintech_use_num']);
      const bankTranId = requireString(b, 'bank_tran_id', { max: 20 });
      const scope = requireString(b, 'scope', { oneOf: ['inquiry', 'transfer'] }) as 'inquiry' | 'transfer';
      const fintechUseNum = requireString(b, 'fintech_use_num', FINTECH);
      const { bankCode, at } = await m.cancel(caller, { bankTranId, scope, fintechUseNum });
      return success({ ...bankLeg({ bankTranId, bankCode, date: at }) }, clock());
    },
  );

  for (const action of ['unlink', 'close'] as const) {
    app.post(
      `/v2.0/user/${action}`,
      doc(
        `user_${action}`,
        action === 'unlink'
          ? "사용자연결해제 — revoke the organization's login tokens for the user"
          : '사용자탈퇴 — cancel every registration and token of the user',
        'POST',
        { client_use_code: '10 characters', user_seq_no: '10 digits' },
        ['client_use_code', 'user_seq_no'],
      ),
      async (req, reply) => {
        const caller = await authenticate(req, LOGIN);
        const b = fieldsOf(req.body);
        reportUnknownFields(req, reply, b, ['client_use_code', 'user_seq_no']);
        const clientUseCode = requireString(b, 'client_use_code', { length: 10 });
        if (clientUseCode !== caller.clientUseCode) throw formatError('client_use_code', '이용기관코드 불일치');
        const userSeqNo = requireString(b, 'user_seq_no', USER_SEQ_NO);
        if (action === 'unlink') await m.unlink(caller, userSeqNo);
        else await m.close(caller, userSeqNo);
        return success({ client_use_code: clientUseCode, user_seq_no: userSeqNo }, clock());
      },
    );
  }
};

export default managementRoutes;
