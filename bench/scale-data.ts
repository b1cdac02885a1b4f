// Grows a portal database to "a few years of use" for the scale bench (BENCH_SCALE=1 npm run bench) and
// the EXPLAIN test (test/scale/explain-indexes.test.ts), on top of the demo data, with bulk inserts that
// keep every invariant the services keep:
// - applications: one organization each, every reachable (stage, status) of the workflow, reached by a
//   path of the transition table (src/workflow/state-machine.ts) whose every step is an audit event with
//   the states it joined; the row's claim, submission time, stage start and version count follow the same
//   rules as the workflow service's statePatch. Paths are padded with request-changes → resubmit → claim
//   rounds to reach the audit size. Every submission freezes a version (the demo application's answers).
// - ledger: transactions of two postings that sum to zero, in pairs (money in from the mint, the same
//   money back out), dated before the account's first posting: each account's balance is 0 again after
//   every pair, so the running balances stay exact and the cached balances do not change.
// - request log: the existing generator (one call a second back from now) for the organizations that hold
//   a sandbox credential set.
// Sizes: SCALE_FULL × BENCH_SCALE_FACTOR (default 1): 20,000 applications, 1,000,000 postings,
// 1,000,000 request-log rows, 200,000 audit events.
import type { Knex } from 'knex';
import { isPostgres } from '../src/db/knex';
import { generateRequestLogRows } from '../src/testbed/common/request-log-generator';
import { TRANSITIONS, type Stage, type Status, type WorkflowEvent } from '../src/workflow/state-machine';
import { DEMO_IDS } from '../src/demo-accounts';
import { PAST } from '../src/workflow/service';
import { analyzeOwnTables } from '../src/db/analyze';

export interface ScaleSizes {
  applications: number;
  postings: number;
  requestLog: number;
  auditEvents: number;
}

export const SCALE_FULL: ScaleSizes = {
  applications: 20_000,
  postings: 1_000_000,
  requestLog: 1_000_000,
  auditEvents: 200_000,
};

export function scaleSizes(factor: number): ScaleSizes {
  const f = Number.isFinite(factor) && factor > 0 ? factor : 1;
  return {
    applications: Math.max(40, Math.round(SCALE_FULL.applications * f)),
    postings: Math.max(400, Math.round((SCALE_FULL.postings * f) / 4) * 4),
    requestLog: Math.max(1000, Math.round(SCALE_FULL.requestLog * f)),
    auditEvents: Math.max(400, Math.round(SCALE_FULL.auditEvents * f)),
  };
}

type State = { stage: Stage; status: Status };
const key = (s: State) => `${s.stage}:${s.status}`;
const STAFF_EVENTS: readonly WorkflowEvent[] = ['claim', 'approve', 'request_changes', 'reject', 'countersign'];

/** The shortest path of events from a new application to every reachable state (breadth first over the table). */
export function pathsToEveryState(): Map<string, { state: State; events: WorkflowEvent[] }> {
  const start: State = { stage: 'application', status: 'draft' };
  const paths = new Map([[key(start), { state: start, events: [] as WorkflowEvent[] }]]);
  const queue: State[] = [start];
  while (queue.length) {
    const from = queue.shift()!;
    const here = paths.get(key(from))!;
    for (const row of TRANSITIONS) {
      if (key(row.from) !== key(from) || paths.has(key(row.to))) continue;
      paths.set(key(row.to), { state: row.to, events: [...here.events, row.event] });
      queue.push(row.to);
    }
  }
  return paths;
}

function next(from: State, event: WorkflowEvent): State {
  const row = TRANSITIONS.find((r) => key(r.from) === key(from) && r.event === event);
  if (!row) throw new Error(`no transition ${key(from)} --${event}->`);
  return row.to;
}

/** A path with `rounds` request-changes → resubmit → claim rounds at its last in_review state. */
function padded(events: readonly WorkflowEvent[], rounds: number): WorkflowEvent[] {
  let state: State = { stage: 'application', status: 'draft' };
  let at = -1;
  events.forEach((e, i) => {
    state = next(state, e);
    if (state.status === 'in_review') at = i;
  });
  if (at < 0 || rounds === 0) return [...events];
  let s: State = { stage: 'application', status: 'draft' };
  for (const e of events.slice(0, at + 1)) s = next(s, e);
  const resubmit: WorkflowEvent = s.stage === 'contract' ? 'sign' : 'submit';
  const round: WorkflowEvent[] = ['request_changes', resubmit, 'claim'];
  return [...events.slice(0, at + 1), ...Array.from({ length: rounds }, () => round).flat(), ...events.slice(at + 1)];
}

const uuidFrom = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function insertChunked(db: Knex, table: string, rows: Record<string, unknown>[], perStatement: number) {
  for (let i = 0; i < rows.length; i += perStatement) await db(table).insert(rows.slice(i, i + perStatement));
}

/** Applications in every stage with their organizations, versions and audit trails. */
async function growApplications(db: Knex, sizes: ScaleSizes): Promise<{ applications: number; auditEvents: number }> {
  const staff = await db('users').whereNotNull('staff_role').select('id', 'email', 'staff_role');
  // One person per stage (separation of duties): suitability and testing by two different reviewers.
  const reviewers = staff.filter((u) => u.staff_role === 'reviewer').sort((a, b) => a.email.localeCompare(b.email));
  const staffFor = (stage: Stage) => {
    if (stage === 'suitability' && reviewers[0]) return reviewers[0];
    if (stage === 'testing' && reviewers[1]) return reviewers[1];
    const role = stage === 'security' ? 'inspector' : stage === 'contract' ? 'contract_officer' : 'reviewer';
    return staff.find((u) => u.staff_role === role) ?? staff.find((u) => u.staff_role === 'admin')!;
  };
  const answers =
    ((await db('application_versions').orderBy('submitted_at', 'desc').first('answers')) as { answers: string })
      ?.answers ?? '{}';
  const targets = [...pathsToEveryState().values()];
  const base = targets.reduce((n, t) => n + t.events.length + 1, 0) / targets.length; // + application.created
  const paddable = targets.filter((t) => padded(t.events, 1).length > t.events.length).length / targets.length;
  const padRounds = Math.max(0, Math.round((sizes.auditEvents / sizes.applications - base) / (3 * paddable)));
  const startMs = Date.now() - 3 * 365 * 86_400_000;
  const span = 3 * 365 * 86_400_000 - 30 * 86_400_000;
  let audit = 0;
  const CHUNK = 1000;
  for (let from = 0; from < sizes.applications; from += CHUNK) {
    const orgs: Record<string, unknown>[] = [];
    const apps: Record<string, unknown>[] = [];
    const versions: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(sizes.applications, from + CHUNK); i++) {
      const target = targets[i % targets.length]!;
      const path = padded(target.events, padRounds);
      const orgId = uuidFrom('5ca1e0a0', i);
      const appId = uuidFrom('5ca1e0b0', i);
      let t = startMs + Math.floor((span * i) / sizes.applications);
      const at = () => new Date(t).toISOString();
      const created = at();
      orgs.push({ id: orgId, name: `규모시험 ${i + 1}`, created_at: created });
      const owner = `owner@scale-${i + 1}.example`;
      events.push({
        id: uuidFrom('5ca1e0c0', audit++),
        organization_id: orgId,
        application_id: appId,
        actor_user_id: null,
        actor_label: owner,
        event: 'application.created',
        internal: false,
        created_at: created,
      });
      // The row as the workflow service's statePatch leaves it after each event.
      let state: State = { stage: 'application', status: 'draft' };
      let claimedBy: string | null = null;
      let submittedAt: string | null = null;
      let stageEnteredAt = created;
      let sections: string | null = null;
      let version = 0;
      let reference: string | null = null;
      for (const event of path) {
        t += 3_600_000 + (i % 7) * 60_000;
        const now = at();
        const to = next(state, event);
        const actor = STAFF_EVENTS.includes(event) ? staffFor(state.stage) : null;
        if (to.stage !== state.stage) {
          stageEnteredAt = now;
          claimedBy = null;
          submittedAt = null;
          sections = null;
        }
        if (event === 'submit' || event === 'sign') {
          submittedAt = now;
          if (state.status !== 'changes_requested') claimedBy = null;
          sections = null;
          if (state.stage === 'application' || state.stage === 'suitability') {
            version += 1;
            reference ??= `OB-2023-${String(i + 1).padStart(6, '0')}`;
            versions.push({
              id: uuidFrom('5ca1e0d0', i * 100 + version),
              application_id: appId,
              version,
              stage: 'application',
              answers,
              submitted_by: null,
              submitted_at: now,
            });
          }
        }
        if (actor && (event === 'claim' || (state.status === 'submitted' && to.stage === state.stage)))
          claimedBy = actor.id;
        if (event === 'request_changes') {
          sections = JSON.stringify(state.stage === 'suitability' ? ['company'] : []);
          if (actor) claimedBy = actor.id;
        }
        events.push({
          id: uuidFrom('5ca1e0c0', audit++),
          organization_id: orgId,
          application_id: appId,
          actor_user_id: actor?.id ?? null,
          actor_label: actor?.email ?? owner,
          event: `application.${PAST[event]}`,
          from_state: key(state),
          to_state: key(to),
          reason: event === 'request_changes' || event === 'reject' ? '규모 시험용 사유' : null,
          internal: false,
          created_at: now,
        });
        state = to;
      }
      apps.push({
        id: appId,
        organization_id: orgId,
        reference,
        stage: state.stage,
        status: state.status,
        current_version: version,
        changes_requested_sections: sections,
        claimed_by: claimedBy,
        stage_entered_at: stageEnteredAt,
        submitted_at: submittedAt,
        created_at: created,
        updated_at: at(),
      });
    }
    await db.transaction(async (trx) => {
      await insertChunked(trx, 'organizations', orgs, 500);
      await insertChunked(trx, 'applications', apps, 200);
      await insertChunked(trx, 'application_versions', versions, 100);
      await insertChunked(trx, 'audit_events', events, 200);
    });
  }
  return { applications: sizes.applications, auditEvents: audit };
}

/**
 * Ledger pairs on real accounts: the first account gets half of them (the bench reads its history),
 * the others share the rest. Generated by the database (INSERT … SELECT over a number series).
 */
async function growLedger(db: Knex, sizes: ScaleSizes, accountIds: readonly string[]): Promise<number> {
  const mint = await db('bank_accounts').where({ world: '', purpose: 'system' }).orderBy('created_at').first('id');
  if (!mint) throw new Error('no mint account');
  const weighted = [
    ...accountIds.slice(0, 1).flatMap((a) => Array(Math.max(1, accountIds.length - 1)).fill(a)),
    ...accountIds.slice(1),
  ];
  const first = await db('postings').min({ d: 'tran_date' }).first();
  // Pairs end a day before the first posting on record, one every 20 s going back.
  const endMs =
    Date.UTC(
      Number(String(first?.d ?? '20260101').slice(0, 4)),
      Number(String(first?.d ?? '20260101').slice(4, 6)) - 1,
      Number(String(first?.d ?? '20260101').slice(6, 8)),
    ) -
    86_400_000 -
    9 * 3_600_000;
  const pairs = sizes.postings / 4;
  const pg = isPostgres(db);
  const CHUNK = 50_000;
  const accountCase = `CASE ${weighted.map((_, k) => `WHEN i % ${weighted.length} = ${k} THEN ?`).join(' ')} END`;
  const pad = (expr: string) => (pg ? `lpad((${expr})::text, 12, '0')` : `printf('%012d', ${expr})`);
  const secs = (offset: number) => `(CAST(? AS BIGINT) / 1000 - (${pairs} - i) * 20 + ${offset})`;
  const kst = (offset: number, fmt: 'date' | 'time' | 'iso') =>
    pg
      ? `to_char(to_timestamp(${secs(offset)})${fmt === 'iso' ? " AT TIME ZONE 'UTC'" : " AT TIME ZONE 'Asia/Seoul'"}, '${fmt === 'date' ? 'YYYYMMDD' : fmt === 'time' ? 'HH24MISS' : 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'}')`
      : fmt === 'iso'
        ? `strftime('%Y-%m-%dT%H:%M:%fZ', ${secs(offset)}, 'unixepoch')`
        : `strftime('${fmt === 'date' ? '%Y%m%d' : '%H%M%S'}', ${secs(offset)} + 32400, 'unixepoch')`;
  const series = (body: string) =>
    pg
      ? `${body} FROM generate_series(?::int, ?::int) AS g(i)`
      : `WITH RECURSIVE g(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM g WHERE i < ?) ${body} FROM g`;
  // Each pair i: transaction 2i moves (i % 9 + 1) × 1,000 KRW in, transaction 2i + 1 takes it back out.
  for (let lo = 0; lo < pairs; lo += CHUNK) {
    const hi = Math.min(pairs, lo + CHUNK) - 1;
    const amount = '((i % 9) + 1) * 1000';
    for (const leg of [0, 1] as const) {
      const txId = `'5ca1e0e${leg}-0000-4000-8000-' || ${pad('i')}`;
      const account = accountCase;
      const bind = (times: number) => Array.from({ length: times }, () => endMs).flat();
      await db.raw(
        `INSERT INTO transactions (id, kind, organization_id, status, amount, wd_account_id, dps_account_id, wd_print_content, dps_print_content, created_at) ${series(
          `SELECT ${txId}, 'history', NULL, 'settled', ${amount}, ${leg === 0 ? '?' : account}, ${leg === 0 ? account : '?'}, '규모시험', '규모시험', ${kst(leg * 10, 'iso')}`,
        )}`,
        pg
          ? leg === 0
            ? [mint.id, ...weighted, ...bind(1), lo, hi]
            : [...weighted, mint.id, ...bind(1), lo, hi]
          : leg === 0
            ? [lo, hi, mint.id, ...weighted, ...bind(1)]
            : [lo, hi, ...weighted, mint.id, ...bind(1)],
      );
      // Two postings per transaction: the account's and the mint's, summing to zero; the balance after
      // is the amount while the money is in (leg 0) and 0 once it is back (leg 1), for both.
      for (const side of ['account', 'mint'] as const) {
        const sign = (side === 'account') === (leg === 0) ? '' : '-';
        const balanceAfter = leg === 0 ? `${side === 'account' ? '' : '-'}${amount}` : '0';
        const postingId = `'5ca1f${leg}a${side === 'account' ? 'a' : 'b'}-0000-4000-8000-' || ${pad('i')}`;
        const body = `SELECT ${postingId}, ${txId}, ${side === 'account' ? account : '?'}, ${sign}${amount}, ${balanceAfter}, ${kst(leg * 10, 'date')}, ${kst(leg * 10, 'time')}, '${(side === 'account') === (leg === 0) ? '입금' : '출금'}', '대체', '규모시험', '오픈은행', ${kst(leg * 10, 'iso')}`;
        const binds = [...(side === 'account' ? weighted : [mint.id]), ...bind(3)];
        await db.raw(
          `INSERT INTO postings (id, transaction_id, account_id, amount, balance_after, tran_date, tran_time, inout_type, tran_type, print_content, branch_name, created_at) ${series(body)}`,
          pg ? [...binds, lo, hi] : [lo, hi, ...binds],
        );
      }
    }
  }
  return pairs * 4;
}

export interface GrowResult extends ScaleSizes {
  /** The account whose history the bench pages through (in the demo organization's sandbox world). */
  historyAccountId: string;
  ms: number;
}

/**
 * Grows the database. `historyAccountId`: the account that gets half of the ledger pairs; `requestLogOrgs`:
 * organizations with a sandbox credential set (their log rows reference real credentials).
 */
export async function growDatabase(
  db: Knex,
  sizes: ScaleSizes,
  opts: { historyAccountId: string; log?: (line: string) => void },
): Promise<GrowResult> {
  const t0 = performance.now();
  const say = opts.log ?? (() => {});
  const credentialed: string[] = (
    await db('credential_sets').where({ environment: 'sandbox' }).distinct('organization_id')
  ).map((r: { organization_id: string }) => r.organization_id);
  const others = (
    await db('bank_accounts')
      .whereNot({ purpose: 'system' })
      .whereNot({ id: opts.historyAccountId })
      .orderBy('id')
      .limit(30)
      .select('id')
  ).map((r: { id: string }) => r.id);
  say(`growing: ${sizes.applications} applications, ${sizes.auditEvents} audit events…`);
  const apps = await growApplications(db, sizes);
  say(`growing: ${sizes.postings} ledger postings…`);
  const postings = await growLedger(db, sizes, [opts.historyAccountId, ...others]);
  say(`growing: ${sizes.requestLog} request-log rows…`);
  await generateRequestLogRows(db, { organizations: credentialed, count: sizes.requestLog, until: new Date() });
  await analyzeOwnTables(db);
  return {
    applications: apps.applications,
    auditEvents: apps.auditEvents,
    postings,
    requestLog: sizes.requestLog,
    historyAccountId: opts.historyAccountId,
    ms: performance.now() - t0,
  };
}

/**
 * The demo organization's copy of 홍길동's richest account (097 1101230000678), made if need be: the
 * account whose transaction history the bench pages through.
 */
export async function demoHistoryAccount(app: {
  db: Knex;
  services: { sandboxLedger: { listAccounts(organizationId: string): Promise<{ id: string; accountNum: string }[]> } };
}): Promise<{ organizationId: string; accountId: string }> {
  const organizationId = DEMO_IDS.demoFintechOrg;
  const accounts = await app.services.sandboxLedger.listAccounts(organizationId);
  const account = accounts.find((a) => a.accountNum === '1101230000678') ?? accounts[0];
  if (!account) throw new Error('the demo organization has no sandbox accounts');
  return { organizationId, accountId: account.id };
}
