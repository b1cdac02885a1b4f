// The API console's forms, derived from the service API catalogue (src/testbed/services/api-catalogue.ts):
// one input per request field (list fields such as req_list as one item), pre-filled with values the
// emulator accepts for this organization (a fresh bank_tran_id, the test user's fintech_use_num, today's
// tran_dtime and dates, the organization's contract accounts); a scenario trigger overrides the field it
// names. Rule: what the developer typed is sent as typed (a wrong format is the emulator's to answer);
// an empty field is left out of the request.
import { APIS, type ApiDefinition } from '../testbed/services/api-catalogue';
import type { FieldSpec } from '../testbed/services/field-specs';
import { SCENARIOS, type Scenario } from '../testbed/scenarios/catalogue';
import { kstDate, kstDateTime } from '../testbed/common/envelope';
import { FIRST_WITHDRAWAL_KRW, freshBankTranId } from '../credentials/quick-start';

export const CONSOLE_APIS: readonly ApiDefinition[] = APIS;
const FIELD_PREFIX = 'f_';

export function findConsoleApi(key: unknown): ApiDefinition | undefined {
  return typeof key === 'string' ? CONSOLE_APIS.find((a) => a.key === key) : undefined;
}

/** True when the API needs a user token (inquiry/transfer scopes); oob APIs use an institution token. */
export function needsUserToken(api: ApiDefinition): boolean {
  return !api.scopes.includes('oob');
}

export interface ConsoleContext {
  clientUseCode: string;
  now: Date;
  fintechUseNum: string | null;
  userSeqNo: string | null;
  personName: string | null;
  collectionAccountNum: string | null;
  payingAccountNum: string | null;
}

export interface ConsoleField {
  name: string;
  formName: string;
  id: string;
  required: boolean;
  description: string;
  value: string;
  list: string | null;
}

/** The prefilled value of one field, or '' to leave an optional field out. */
function prefill(api: ApiDefinition, spec: FieldSpec, ctx: ConsoleContext): string {
  const today = kstDate(ctx.now);
  const byName: Record<string, string | null> = {
    bank_tran_id: freshBankTranId(ctx.clientUseCode),
    fintech_use_num: ctx.fintechUseNum,
    req_client_fintech_use_num: api.key === 'withdraw' ? ctx.fintechUseNum : null,
    req_client_name: ctx.personName ?? '홍길동',
    req_client_num: 'CONSOLE1',
    user_seq_no: ctx.userSeqNo,
    tran_dtime: kstDateTime(ctx.now),
    tran_amt: String(FIRST_WITHDRAWAL_KRW),
    org_tran_amt: String(FIRST_WITHDRAWAL_KRW),
    cntr_account_num: api.key.startsWith('deposit') ? ctx.payingAccountNum : ctx.collectionAccountNum,
    account_holder_info: api.key === 'real_name' ? '880101' : null,
    account_num: api.key === 'remit_list' ? ctx.collectionAccountNum : null,
  };
  if (spec.rule?.date) return today;
  if (spec.name in byName && byName[spec.name] !== null) return byName[spec.name]!;
  return spec.required ? (spec.example ?? '') : '';
}

export function consoleFields(api: ApiDefinition, ctx: ConsoleContext, given?: Record<string, string>): ConsoleField[] {
  const out: ConsoleField[] = [];
  const add = (spec: FieldSpec, list: string | null) => {
    const name = list ? `${list}.0.${spec.name}` : spec.name;
    const formName = `${FIELD_PREFIX}${name}`;
    out.push({
      name,
      formName,
      id: `field-${name.replace(/\./g, '-')}`,
      required: spec.required,
      description: spec.description,
      list,
      value: given ? (given[name] ?? '') : prefill(api, spec, ctx),
    });
  };
  for (const spec of api.fields) {
    if (spec.type === 'list') for (const item of spec.items ?? []) add(item, spec.name);
    else add(spec, null);
  }
  return out;
}

/** The scenario triggers that apply to this API, with the field each fills in. */
export function scenariosFor(api: ApiDefinition): Scenario[] {
  return SCENARIOS.filter(
    (s) => s.apis.includes(api.path) && ['amount', 'marker', 'account', 'bank_code'].includes(s.trigger.kind),
  );
}

/** Applies a scenario trigger to the prefilled fields (the field names it changes are returned). */
export function applyScenario(fields: ConsoleField[], scenario: Scenario): string[] {
  const set = (pred: (f: ConsoleField) => boolean, value: string) =>
    fields.filter(pred).map((f) => {
      f.value = value;
      return f.name;
    });
  const leaf = (f: ConsoleField) => f.name.split('.').pop()!;
  switch (scenario.trigger.kind) {
    case 'amount':
      return set((f) => leaf(f) === 'tran_amt', scenario.trigger.value);
    case 'marker':
      return set((f) => /print_content$/.test(leaf(f)) && f.required, scenario.trigger.value);
    case 'bank_code':
      return set((f) => leaf(f) === 'bank_code_std', scenario.trigger.value);
    case 'account': {
      const [bank, account] = scenario.trigger.value.split(' ');
      return [...set((f) => leaf(f) === 'bank_code_std', bank!), ...set((f) => leaf(f) === 'account_num', account!)];
    }
    default:
      return [];
  }
}

/** The typed values of a posted console form, by field name (only the API's own fields). */
export function postedValues(api: ApiDefinition, body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of consoleFields(
    api,
    {
      clientUseCode: 'M000000000',
      now: new Date(0),
      fintechUseNum: null,
      userSeqNo: null,
      personName: null,
      collectionAccountNum: null,
      payingAccountNum: null,
    },
    {},
  )) {
    const v = body[f.formName];
    out[f.name] = typeof v === 'string' ? v.slice(0, 500) : '';
  }
  return out;
}

/** The request the console sends: query string (GET) or JSON body (POST); empty fields left out. */
export function buildRequest(
  api: ApiDefinition,
  values: Record<string, string>,
): { url: string; body: Record<string, unknown> | null } {
  const flat: Record<string, string> = {};
  const lists: Record<string, Record<string, string>> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === '') continue;
    const m = /^([a-z_]+)\.0\.([a-z_]+)$/.exec(name);
    if (m) {
      lists[m[1]!] ??= {};
      lists[m[1]!]![m[2]!] = value;
    } else flat[name] = value;
  }
  if (api.method === 'GET') {
    const qs = new URLSearchParams(flat).toString();
    return { url: qs ? `${api.path}?${qs}` : api.path, body: null };
  }
  const body: Record<string, unknown> = { ...flat };
  for (const [list, item] of Object.entries(lists)) body[list] = [item];
  return { url: api.path, body };
}
