// Puts the test-bed evidence of a passing testing stage into the emulator's request log through the log's
// own recorder, for tests whose subject is a later stage (security, contract) or the report form: the rows
// a real client's calls would leave (a token, the authorize pages' consent and its code exchanged, a
// refresh, a success per API, a duplicate and an insufficient-funds withdrawal, a pending transfer then
// its result). The conformance rules themselves are tested with real emulator calls in
// test/workflow/conformance.test.ts.
import type { FastifyInstance } from 'fastify';
import { readTypedAnswers } from '../../src/onboarding/service';
import { loadApplicationRecord } from '../../src/onboarding/service';
import { requiredScenarios } from '../../src/workflow/conformance';
import type { RequestLogEntry } from '../../src/testbed/common/request-log';

let counter = 0;

export async function recordPassingEvidence(app: FastifyInstance, applicationId: string): Promise<string[]> {
  const record = await loadApplicationRecord(app.db, applicationId);
  if (!record) throw new Error('no such application');
  const latest = [...record.versions].sort((a, b) => b.version - a.version)[0];
  const keys = requiredScenarios(readTypedAnswers(latest?.answers ?? record.answers).apis);
  const organizationId = record.application.organization_id;
  const log = app.services.testbedRequestLog;
  const base = {
    organizationId,
    clientUseCode: null,
    method: 'POST',
    warnings: [],
    apiTranId: null,
    durationMs: 3,
    rspCode: 'A0000',
    bankRspCode: '000',
  };
  const rec = (e: Partial<RequestLogEntry> & { path: string; api: string }) =>
    log.record({ ...base, ...e } as RequestLogEntry);
  const id = () => `M202600001U${String(++counter).padStart(9, '0')}`;
  for (const key of keys) {
    switch (key) {
      case 'auth.client_credentials':
        rec({
          path: '/oauth/2.0/token',
          api: 'oauth_token',
          grantType: 'client_credentials',
          rspCode: null,
          bankRspCode: null,
        });
        break;
      case 'auth.refresh':
        rec({
          path: '/oauth/2.0/token',
          api: 'oauth_token',
          grantType: 'refresh_token',
          rspCode: null,
          bankRspCode: null,
        });
        break;
      case 'auth.authorization_code': {
        const code = `evidence-code-${++counter}`;
        rec({
          path: '/oauth/2.0/authorize/consent',
          api: 'authorize',
          rspCode: null,
          bankRspCode: null,
          responseBody: { status: 303, location: `http://localhost:8080/callback?code=${code}&state=x` },
        });
        rec({
          path: '/oauth/2.0/token',
          api: 'oauth_token',
          grantType: 'authorization_code',
          rspCode: null,
          bankRspCode: null,
          requestBody: { grant_type: 'authorization_code', code },
        });
        break;
      }
      case 'withdraw.duplicate_refused': {
        const tranId = id();
        rec({ path: '/v2.0/transfer/withdraw/fin_num', api: 'withdraw', bankTranId: tranId });
        rec({
          path: '/v2.0/transfer/withdraw/fin_num',
          api: 'withdraw',
          bankTranId: tranId,
          rspCode: 'A0326',
          bankRspCode: null,
        });
        break;
      }
      case 'withdraw.insufficient_funds':
        rec({
          path: '/v2.0/transfer/withdraw/fin_num',
          api: 'withdraw',
          bankTranId: id(),
          rspCode: 'A0002',
          bankRspCode: '453',
        });
        break;
      case 'transfer_result.settles_pending': {
        const tranId = id();
        rec({
          path: '/v2.0/transfer/withdraw/fin_num',
          api: 'withdraw',
          bankTranId: tranId,
          rspCode: 'A0001',
          bankRspCode: null,
        });
        rec({
          path: '/v2.0/transfer/result',
          api: 'transfer_result',
          responseBody: { rsp_code: 'A0000', res_list: [{ bank_tran_id: tranId, bank_rsp_code: '000' }] },
        });
        break;
      }
      default: {
        const api = key.slice(0, -'.success'.length);
        if (api === 'deposit')
          rec({
            path: '/v2.0/transfer/deposit/fin_num',
            api: 'deposit_fin_num',
            responseBody: { rsp_code: 'A0000', res_list: [{ bank_rsp_code: '000' }] },
          });
        else
          rec({
            path: `/v2.0/${api}`,
            api,
            method: api === 'balance' || api === 'transaction_list' ? 'GET' : 'POST',
            bankTranId: id(),
          });
      }
    }
  }
  await log.flush();
  return keys;
}
