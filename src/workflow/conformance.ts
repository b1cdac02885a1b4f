// Stage 3 is decided on evidence: the scenarios an application must show working in the test bed,
// derived from the APIs it requested, each judged from the emulator's request log alone (calls made with
// the organization's credentials since the application entered the testing stage). The sandbox
// shortcut (/testbed/sandbox/authorize) never counts as the authorize pages. Submitting the test
// completion report and approving the stage are refused while any required scenario is open.
import type { EvidenceCriteria, EvidenceRow, RequestLogQueries } from '../testbed/common/request-log-queries';
import { findApi } from '../onboarding/api-catalogue';

type ScenarioStatus = 'passed' | 'open';
interface ScenarioResult {
  key: string;
  status: ScenarioStatus;
  evidence: number[];
}
export interface ConformanceResult {
  complete: boolean;
  since: string;
  scenarios: ScenarioResult[];
}

/** Requested API key (onboarding's catalogue) → the emulator's API keys that serve it. */
const EMULATOR_KEYS: Record<string, readonly string[]> = {
  balance: ['balance'],
  transaction_list: ['transaction_list'],
  real_name: ['real_name'],
  remit_list: ['remit_list'],
  receive: ['receive'],
  withdraw: ['withdraw'],
  deposit: ['deposit_fin_num', 'deposit_acnt_num'],
  transfer_result: ['transfer_result'],
};
const USER_APIS = new Set(['balance', 'transaction_list', 'withdraw']);
const TRANSFER_KEYS = ['withdraw', 'deposit_fin_num', 'deposit_acnt_num'];
/** How many candidate rows a pairing rule reads (newest first); enough for any real test session. */
const PAIR_WINDOW = 500;

/** The scenario keys an application must pass, in the order they are shown. */
export function requiredScenarios(requestedApis: readonly string[]): string[] {
  const apis = requestedApis.filter((a) => EMULATOR_KEYS[a]);
  const keys: string[] = [];
  if (apis.some((a) => findApi(a)?.scope === 'oob')) keys.push('auth.client_credentials');
  if (apis.some((a) => USER_APIS.has(a))) keys.push('auth.authorization_code', 'auth.refresh');
  for (const a of apis) keys.push(`${a}.success`);
  if (apis.includes('withdraw')) keys.push('withdraw.duplicate_refused', 'withdraw.insufficient_funds');
  if (apis.includes('transfer_result')) keys.push('transfer_result.settles_pending');
  return keys;
}

/** The i18n id of a scenario key (`withdraw.duplicate_refused` → `withdraw__duplicate_refused`). */
export const scenarioMessageId = (key: string) => key.replace(/\./g, '__');

function obj(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** The (masked) authorization code a consent step redirected with. */
function codeInRedirect(row: EvidenceRow): string | null {
  const location = obj(row.responseBody)?.location;
  if (typeof location !== 'string') return null;
  const q = location.indexOf('?');
  if (q === -1) return null;
  return new URLSearchParams(location.slice(q + 1)).get('code');
}

function items(row: EvidenceRow): Record<string, unknown>[] {
  const list = obj(row.responseBody)?.res_list;
  return Array.isArray(list) ? list.map(obj).filter((x): x is Record<string, unknown> => x !== null) : [];
}

type Reader = Pick<RequestLogQueries, 'evidenceBatch'>;
type Ask = Omit<EvidenceCriteria, 'since'>;
/**
 * How one scenario is judged: the request-log reads it needs (`ask`, independent of each other), then `judge`
 * over their rows, in the same order: the evidence (the ids of the request(s) that satisfy it, empty when open)
 * or a further step whose reads depend on these rows.
 */
interface Step {
  ask: Ask[];
  judge(rows: EvidenceRow[][]): number[] | Step;
}
const done = (evidence: number[]): Step => ({ ask: [], judge: () => evidence });
const firstId = (ask: Ask): Step => ({ ask: [ask], judge: ([rows]) => rows!.slice(0, 1).map((r) => r.id) });

/** The first step of one scenario's judgement. */
function scenarioStep(key: string): Step {
  switch (key) {
    case 'auth.client_credentials':
      return firstId({ apis: ['oauth_token'], grantType: 'client_credentials', success: true, limit: 1 });
    case 'auth.refresh':
      return firstId({ apis: ['oauth_token'], grantType: 'refresh_token', success: true, limit: 1 });
    case 'auth.authorization_code':
      // A consent step that redirected with a code, then that code exchanged at the token endpoint.
      return {
        ask: [
          {
            apis: ['authorize'],
            method: 'POST',
            pathSuffix: '/consent',
            withBodies: true,
            newestFirst: true,
            limit: PAIR_WINDOW,
          },
          {
            apis: ['oauth_token'],
            grantType: 'authorization_code',
            success: true,
            withBodies: true,
            limit: PAIR_WINDOW,
          },
        ],
        judge([consents, exchanges]) {
          const codes = new Map<string, number>();
          for (const c of consents!) {
            const code = codeInRedirect(c);
            if (code && !codes.has(code)) codes.set(code, c.id);
          }
          for (const x of exchanges!) {
            const code = obj(x.requestBody)?.code;
            const consentId = typeof code === 'string' ? codes.get(code) : undefined;
            if (consentId !== undefined && consentId < x.id) return [consentId, x.id];
          }
          return [];
        },
      };
    case 'withdraw.duplicate_refused':
      // A withdrawal refused as a duplicate (A0326) after an earlier successful one with the same bank_tran_id.
      return {
        ask: [{ apis: ['withdraw'], rspCodes: ['A0326'], limit: PAIR_WINDOW }],
        judge([refused]) {
          const ids = [...new Set(refused!.map((r) => r.bankTranId).filter((x): x is string => Boolean(x)))];
          if (ids.length === 0) return [];
          return {
            ask: [{ apis: ['withdraw'], success: true, bankTranIds: ids, limit: PAIR_WINDOW }],
            judge([earlier]) {
              for (const r of refused!) {
                const first = earlier!.find((e) => e.bankTranId === r.bankTranId && e.id < r.id);
                if (first) return [first.id, r.id];
              }
              return [];
            },
          };
        },
      };
    case 'withdraw.insufficient_funds':
      return firstId({ apis: ['withdraw'], rspCodes: ['A0002'], bankRspCodes: ['453', '454'], limit: 1 });
    case 'transfer_result.settles_pending':
      // A transfer answered A0001, then a transfer/result that reported that transfer's final outcome.
      return {
        ask: [
          { apis: TRANSFER_KEYS, rspCodes: ['A0001'], newestFirst: true, limit: PAIR_WINDOW },
          { apis: ['transfer_result'], withBodies: true, newestFirst: true, limit: PAIR_WINDOW },
        ],
        judge([pending, results]) {
          const byId = new Map<string, number>();
          for (const p of pending!) if (p.bankTranId && !byId.has(p.bankTranId)) byId.set(p.bankTranId, p.id);
          if (byId.size === 0) return [];
          for (const r of results!) {
            for (const item of items(r)) {
              const id = typeof item.bank_tran_id === 'string' ? item.bank_tran_id : null;
              const pendingId = id ? byId.get(id) : undefined;
              if (
                pendingId !== undefined &&
                pendingId < r.id &&
                typeof item.bank_rsp_code === 'string' &&
                /^\d{3}$/.test(item.bank_rsp_code)
              )
                return [pendingId, r.id];
            }
          }
          return [];
        },
      };
    default: {
      const api = key.endsWith('.success') ? key.slice(0, -'.success'.length) : '';
      const emulatorKeys = EMULATOR_KEYS[api];
      if (!emulatorKeys) return done([]);
      if (api === 'deposit') {
        // A deposit answer may hold several items: one paid item is enough.
        return {
          ask: [{ apis: emulatorKeys, rspCodes: ['A0000', 'A0009'], withBodies: true, limit: PAIR_WINDOW }],
          judge([answers]) {
            const paid = answers!.find((a) => a.rspCode === 'A0000' && items(a).some((i) => i.bank_rsp_code === '000'));
            return paid ? [paid.id] : [];
          },
        };
      }
      return firstId({ apis: emulatorKeys, success: true, limit: 1 });
    }
  }
}

/**
 * Every required scenario judged from the request log. The scenarios' reads go out together, one batch per
 * round (`evidenceBatch`: one statement), so the checklist costs two rounds whatever the number of APIs: the
 * first reads of every scenario, then the reads that depend on them (the duplicate withdrawal's earlier call).
 */
export async function evaluateConformance(
  reader: Reader,
  input: { organizationId: string; since: string; requestedApis: readonly string[] },
): Promise<ConformanceResult> {
  const keys = requiredScenarios(input.requestedApis);
  const evidence: (number[] | null)[] = keys.map(() => null);
  let pending = keys.map((key, i) => ({ i, step: scenarioStep(key) }));
  while (pending.length) {
    const asks = pending.flatMap(({ step }) => step.ask.map((a) => ({ ...a, since: input.since })));
    const rows = asks.length ? await reader.evidenceBatch(input.organizationId, asks) : [];
    const next: typeof pending = [];
    let at = 0;
    for (const { i, step } of pending) {
      const verdict = step.judge(rows.slice(at, at + step.ask.length));
      at += step.ask.length;
      if (Array.isArray(verdict)) evidence[i] = verdict;
      else next.push({ i, step: verdict });
    }
    pending = next;
  }
  const scenarios: ScenarioResult[] = keys.map((key, i) => {
    const found = evidence[i] ?? [];
    return { key, status: found.length ? 'passed' : 'open', evidence: found };
  });
  return { complete: scenarios.every((s) => s.status === 'passed'), since: input.since, scenarios };
}

export function openScenarios(result: ConformanceResult): string[] {
  return result.scenarios.filter((s) => s.status === 'open').map((s) => s.key);
}
