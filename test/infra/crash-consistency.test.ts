// Crash consistency: the real server (npm start's process) on a SQLite file, or on a PostgreSQL schema
// when DATABASE_URL is PostgreSQL, takes concurrent withdrawals and deposits over several connections and
// is SIGKILLed at a seeded random moment with requests in flight, then restarted on the same database,
// several times. Afterwards:
// - every transfer answered A0000 is in the ledger exactly once, with its two postings;
// - a refused transfer moved nothing; an unanswered one either happened completely (in the ledger once,
//   and transfer/result reports it) or not at all (no postings, transfer/result does not know it);
// - every balance equals the opening balance plus what the ledger says moved, and the sum of its postings;
// - replaying an answered bank_tran_id after the restarts moves nothing (A0326, the KFTC rule) and
//   transfer/result still reports the original success;
// - a reviewer's decision cut off by the kill left its application wholly before (no audit event, no
//   credentials) or wholly after (the audit event and the sandbox credentials with it).
// CRASH_SEED=<n> replays one run's kill moments and request mix.
import t from 'tap';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import {
  childDatabase,
  childSecrets,
  HttpBrowser,
  ledgerOf,
  postJson,
  startServing,
  type ChildServer,
} from '../helpers/child-server';
import { DEMO_SANDBOX, HEO, HONG, bankTranId, oobToken, userToken } from '../helpers/testbed';
import { COLLECTING, PAYING, tranDtime, withdrawBody } from '../helpers/testbed-services';
import { submittedApplication } from '../helpers/onboarding';
import { passChecklist, staffUser, STAFF_PASSWORD } from '../helpers/workflow';

const SEED = Number(process.env.CRASH_SEED ?? 1203);
const KILLS = 3;
const WORKERS = 12;
const ORG = DEMO_SANDBOX.organizationId;

/** A small seeded generator (mulberry32): the same seed gives the same kill moments and request mix. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sent {
  kind: 'withdraw' | 'deposit';
  bankTranId: string;
  amount: number;
  /** The customer's account (097): debited by a withdrawal, credited by a deposit. */
  account: string;
  date: string;
  url: string;
  token: 'hong' | 'heo' | 'oob';
  body: Record<string, unknown>;
  /** rsp_code of the answer, or null when none came (the connection died with the process). */
  rspCode: string | null;
  kill: number;
}

interface Decision {
  applicationId: string;
  kill: number;
  answer: number | null;
  ms?: number;
}

t.setTimeout(300_000);

t.test('SIGKILL mid-run loses, duplicates or half-writes no transfer and no workflow decision', async (t) => {
  const started = Date.now();
  const rng = seeded(SEED); // the request mix
  const killRng = seeded(SEED * 7919 + 1); // the kill and decision moments, whatever the mix drew
  const { shared, databaseUrl } = await childDatabase();
  t.teardown(() => shared.dispose());
  const secrets = childSecrets();
  const db = shared.open();

  // Preparation, in process on the same database: the demo data, a reviewer, one application per kill with
  // its suitability checklist passed (ready to approve), and the tokens the clients use. The first server
  // starts meanwhile (it finds the database migrated and seeded).
  const prep = await buildApp({
    db,
    config: loadConfig({ NODE_ENV: 'test', ...secrets } as NodeJS.ProcessEnv, {
      loadDemoData: true,
      baseUrl: 'http://localhost:3000',
    }),
  });
  await prep.ready();
  const startSeconds: number[] = [];
  const serve = async () => {
    const at = Date.now();
    const server = await startServing(databaseUrl, secrets);
    t.teardown(() => server.killAll());
    startSeconds.push((Date.now() - at) / 1000);
    return server;
  };
  const firstServer = serve();
  firstServer.catch(() => undefined); // awaited below
  const reviewerEmail = 'crash-reviewer@staff.example';
  const reviewer = await staffUser(prep, 'reviewer', reviewerEmail);
  const applicationIds = (
    await Promise.all(
      Array.from({ length: KILLS }, (_, i) => submittedApplication(prep, `owner${i}@crash-fintech.example`)),
    )
  ).map((a) => a.id);
  for (const id of applicationIds) {
    // one at a time: the reviewer's session has one CSRF secret
    const saved = await passChecklist(reviewer.browser, id);
    if (saved.statusCode !== 303) throw new Error(`checklist: ${saved.statusCode}`);
  }
  const tokens = {
    hong: await userToken(prep, { userSeqNo: HONG.userSeqNo }),
    heo: await userToken(prep, { userSeqNo: HEO.userSeqNo }),
    oob: await oobToken(prep),
  };
  const fin = async (accountNum: string) =>
    (
      await db('testbed_fintech_accounts as f')
        .join('bank_accounts as a', 'a.id', 'f.bank_account_id')
        .where({ 'a.account_num': accountNum, 'f.organization_id': ORG })
        .first('f.fintech_use_num')
    ).fintech_use_num as string;
  const customers = [
    {
      account: HONG.accounts[0]!.accountNum,
      fin: await fin(HONG.accounts[0]!.accountNum),
      token: 'hong' as const,
      name: '홍길동',
      num: 'HONGGILDONG1',
    },
    {
      account: HEO.accounts[0]!.accountNum,
      fin: await fin(HEO.accounts[0]!.accountNum),
      token: 'heo' as const,
      name: '허균',
      num: 'HEOGYUN1',
    },
  ];
  const balances = async () => {
    const rows = await db('bank_accounts')
      .where({ world: ORG, bank_code: '097' })
      .whereIn('account_num', [...customers.map((c) => c.account), COLLECTING, PAYING])
      .select('account_num', 'balance');
    return Object.fromEntries(
      rows.map((r: { account_num: string; balance: number | string }) => [r.account_num, Number(r.balance)]),
    );
  };
  const before = await balances();
  const stateOf = async (id: string) => {
    const row = await db('applications').where({ id }).first('stage', 'status');
    return `${row.stage}:${row.status}`;
  };
  const oldStates = await Promise.all(applicationIds.map(stateOf));
  await prep.close();
  const prepSeconds = (Date.now() - started) / 1000;

  const sent: Sent[] = [];
  const decisions: Decision[] = [];
  let inFlightAtKill = 0;
  const killTimes: number[] = [];

  function request(kill: number): Sent {
    const c = customers[Math.floor(rng() * customers.length)]!;
    const amount = 100 + Math.floor(rng() * 900); // never a scenario trigger amount (4530, 4540, 7001)
    const id = bankTranId();
    const dtime = tranDtime();
    if (rng() < 0.6) {
      return {
        kind: 'withdraw',
        bankTranId: id,
        amount,
        account: c.account,
        date: dtime.slice(0, 8),
        url: '/v2.0/transfer/withdraw/fin_num',
        token: c.token,
        rspCode: null,
        kill,
        body: withdrawBody(c.fin, {
          bank_tran_id: id,
          tran_amt: String(amount),
          tran_dtime: dtime,
          req_client_name: c.name,
          req_client_num: c.num,
        }),
      };
    }
    return {
      kind: 'deposit',
      bankTranId: id,
      amount,
      account: c.account,
      date: dtime.slice(0, 8),
      url: '/v2.0/transfer/deposit/fin_num',
      token: 'oob',
      rspCode: null,
      kill,
      body: {
        cntr_account_type: 'N',
        cntr_account_num: PAYING,
        wd_pass_phrase: 'NONE',
        wd_print_content: '캐시백',
        tran_dtime: dtime,
        req_cnt: '1',
        req_list: [
          {
            tran_no: '1',
            bank_tran_id: id,
            fintech_use_num: c.fin,
            print_content: '캐시백',
            tran_amt: String(amount),
            req_client_name: c.name,
            req_client_num: c.num,
            transfer_purpose: 'TR',
          },
        ],
      },
    };
  }

  // One run: WORKERS clients send transfers back to back; the reviewer approves an application shortly
  // before the kill (so that the kill often lands inside the decision); SIGKILL at a seeded moment.
  async function runUntilKilled(server: ChildServer, kill: number): Promise<void> {
    const browser = new HttpBrowser(server.base);
    await browser.login(reviewerEmail, STAFF_PASSWORD);
    const applicationId = applicationIds[kill]!;
    const csrf = await browser.csrfToken(`/staff/applications/${applicationId}`);
    let killed = false;
    let inFlight = 0;
    const worker = async () => {
      while (!killed) {
        const r = request(kill);
        sent.push(r);
        inFlight += 1;
        try {
          const answer = await postJson(server.base + r.url, r.body, { authorization: `Bearer ${tokens[r.token]}` });
          r.rspCode = String(answer.rsp_code);
        } catch {
          // no answer: the process died with the request in flight
        } finally {
          inFlight -= 1;
        }
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);
    const killAt = 1200 + Math.floor(killRng() * 1800);
    const decideAt = killAt - Math.floor(killRng() * 400);
    killTimes.push(killAt);
    const decision: Decision = { applicationId, kill, answer: null };
    decisions.push(decision);
    let decided: Promise<void> = Promise.resolve();
    setTimeout(() => {
      const sentAt = Date.now();
      decided = browser
        .post(
          `/staff/applications/${applicationId}/decision`,
          { event: 'approve', reason: '적합성 요건을 모두 충족합니다.' },
          { csrf },
        )
        .then(
          (res) => {
            decision.answer = res.status;
            decision.ms = Date.now() - sentAt;
          },
          () => undefined,
        );
    }, decideAt);
    await new Promise((r) => setTimeout(r, killAt));
    inFlightAtKill += inFlight;
    killed = true;
    server.child.kill('SIGKILL');
    const exit = await server.exited;
    if (exit.signal !== 'SIGKILL')
      throw new Error(`the server ended by itself before the kill: ${JSON.stringify(exit)}\n${server.output()}`);
    await Promise.all(workers);
    await decided;
  }

  for (let kill = 0; kill < KILLS; kill++) {
    await runUntilKilled(await (kill === 0 ? firstServer : serve()), kill);
  }
  const runSeconds = (Date.now() - started) / 1000;

  // Restarted once more on the same database: what happened?
  const server = await serve();

  const ids = sent.map((s) => s.bankTranId);
  // Not a ledger rule, measured only: the request log is written in batches after the answers (every
  // 250 ms), so the calls answered just before a kill are missing from it.
  const answeredIds = sent.filter((s) => s.rspCode !== null).map((s) => s.bankTranId);
  let logged = 0;
  for (let i = 0; i < answeredIds.length; i += 500) {
    logged += Number(
      (
        await db('testbed_request_log')
          .whereIn('bank_tran_id', answeredIds.slice(i, i + 500))
          .countDistinct({ n: 'bank_tran_id' })
          .first()
      )?.n,
    );
  }
  // Likewise the per-API call counters behind manage/count and manage/fee (buffered for 250 ms).
  const counted = Number(
    (
      await db('testbed_api_counts')
        .where({ organization_id: ORG })
        .whereIn('api', ['withdraw', 'deposit'])
        .sum({ n: 'cnt' })
        .first()
    )?.n ?? 0,
  );
  const rows: {
    id: string;
    bank_tran_id: string;
    bank_tran_date: string;
    kind: string;
    rsp_code: string | null;
    amount: number | string;
  }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(
      ...(await db('transactions')
        .where({ organization_id: ORG })
        .whereIn('bank_tran_id', ids.slice(i, i + 500))
        .select('id', 'bank_tran_id', 'bank_tran_date', 'kind', 'rsp_code', 'amount')),
    );
  }
  const postings = new Map<string, { account_id: string; amount: number }[]>();
  const txIds = rows.map((r) => r.id);
  for (let i = 0; i < txIds.length; i += 500) {
    for (const p of await db('postings')
      .whereIn('transaction_id', txIds.slice(i, i + 500))
      .select('transaction_id', 'account_id', 'amount')) {
      postings.set(p.transaction_id, [
        ...(postings.get(p.transaction_id) ?? []),
        { account_id: p.account_id, amount: Number(p.amount) },
      ]);
    }
  }
  const byTranId = new Map<string, typeof rows>();
  for (const r of rows) byTranId.set(r.bank_tran_id, [...(byTranId.get(r.bank_tran_id) ?? []), r]);
  const moved = (r: (typeof rows)[number]) => (postings.get(r.id)?.length ?? 0) > 0;

  const problems: string[] = [];
  const unansweredHappened: Sent[] = [];
  const unansweredNot: Sent[] = [];
  const answeredOk = sent.filter((s) => s.rspCode === 'A0000');
  const refused = sent.filter((s) => s.rspCode !== null && s.rspCode !== 'A0000');
  for (const s of sent) {
    const found = byTranId.get(s.bankTranId) ?? [];
    if (found.length > 1) problems.push(`${s.bankTranId} is in the ledger ${found.length} times`);
    const movedRows = found.filter(moved);
    for (const r of movedRows) {
      const ps = postings.get(r.id)!;
      if (r.kind !== s.kind || Number(r.amount) !== s.amount || r.rsp_code !== 'A0000')
        problems.push(`${s.bankTranId}: ledger says ${r.kind} ${r.amount} ${r.rsp_code}, sent ${s.kind} ${s.amount}`);
      if (ps.length !== 2 || ps.reduce((x, p) => x + p.amount, 0) !== 0)
        problems.push(`${s.bankTranId}: postings ${JSON.stringify(ps)}`);
    }
    if (s.rspCode === 'A0000' && (found.length !== 1 || movedRows.length !== 1))
      problems.push(
        `${s.bankTranId} was answered A0000 but is in the ledger ${found.length} times, ${movedRows.length} with postings`,
      );
    if (s.rspCode !== null && s.rspCode !== 'A0000' && movedRows.length > 0)
      problems.push(`${s.bankTranId} was answered ${s.rspCode} but moved money`);
    if (s.rspCode === null) (movedRows.length === 1 ? unansweredHappened : unansweredNot).push(s);
  }
  t.same(
    problems,
    [],
    'every answered A0000 is in the ledger exactly once with its two postings; no refusal moved money',
  );
  t.ok(answeredOk.length > 0, `transfers were answered A0000 (${answeredOk.length})`);
  t.same(
    refused.map((s) => `${s.bankTranId} ${s.rspCode}`),
    [],
    'no transfer was refused (the amounts fit the balances and limits)',
  );

  // transfer/result: the unanswered transfers that happened are reported as successes, the others are unknown.
  const oob = tokens.oob;
  const resultOf = async (list: Sent[]) => {
    const out = new Map<string, string>();
    for (let i = 0; i < list.length; i += 25) {
      for (const kind of ['withdraw', 'deposit'] as const) {
        const chunk = list.slice(i, i + 25).filter((s) => s.kind === kind);
        if (chunk.length === 0) continue;
        const answer = await postJson(
          `${server.base}/v2.0/transfer/result`,
          {
            check_type: kind === 'withdraw' ? '1' : '2',
            tran_dtime: tranDtime(),
            req_cnt: String(chunk.length),
            req_list: chunk.map((s, n) => ({
              tran_no: String(n + 1),
              org_bank_tran_id: s.bankTranId,
              org_bank_tran_date: byTranId.get(s.bankTranId)?.[0]?.bank_tran_date ?? s.date,
              org_tran_amt: String(s.amount),
            })),
          },
          { authorization: `Bearer ${oob}` },
        );
        if (answer.rsp_code === 'A0310') for (const s of chunk) out.set(s.bankTranId, 'unknown');
        else
          for (const [n, item] of ((answer.res_list as { bank_rsp_code: string }[]) ?? []).entries())
            out.set(
              chunk[n]!.bankTranId,
              item.bank_rsp_code === '000'
                ? 'ok'
                : item.bank_rsp_code === ''
                  ? 'unknown'
                  : `bank ${item.bank_rsp_code}`,
            );
      }
    }
    return out;
  };
  const happened = await resultOf(unansweredHappened);
  t.same(
    [...happened].filter(([, v]) => v !== 'ok'),
    [],
    `transfer/result reports each unanswered transfer that reached the ledger as done (${unansweredHappened.length})`,
  );
  const notHappened = await resultOf(unansweredNot);
  t.same(
    [...notHappened].filter(([, v]) => v !== 'unknown'),
    [],
    `and knows none of those that did not (${unansweredNot.length}): all or nothing`,
  );

  // Balances: opening + what the ledger says moved; and every cached balance equals its postings.
  const delta: Record<string, number> = {};
  const add = (account: string, n: number) => {
    delta[account] = (delta[account] ?? 0) + n;
  };
  for (const s of [...answeredOk, ...unansweredHappened]) {
    if (s.kind === 'withdraw') {
      add(s.account, -s.amount);
      add(COLLECTING, s.amount);
    } else {
      add(s.account, s.amount);
      add(PAYING, -s.amount);
    }
  }
  const after = await balances();
  const expected = Object.fromEntries(Object.keys(before).map((k) => [k, before[k]! + (delta[k] ?? 0)]));
  t.same(after, expected, 'each balance is its opening balance plus exactly the transfers that happened');
  const check = await ledgerOf(db).verifyBalances();
  t.same(
    {
      ok: check.ok,
      totalDrift: check.totalDrift,
      mismatches: check.mismatches,
      unbalanced: check.unbalancedTransactions,
    },
    { ok: true, totalDrift: 0, mismatches: [], unbalanced: [] },
    'cached balances equal the sum of their postings; every transaction balances',
  );

  // Idempotency after the restarts: replaying answered bank_tran_ids moves nothing and the original stands.
  const replayed = [
    ...answeredOk.filter((s) => s.kind === 'withdraw').slice(0, 10),
    ...answeredOk.filter((s) => s.kind === 'deposit').slice(0, 10),
  ];
  const replies = await Promise.all(
    replayed.map((s) => postJson(server.base + s.url, s.body, { authorization: `Bearer ${tokens[s.token]}` })),
  );
  t.same(
    [...new Set(replies.map((r) => r.rsp_code))],
    ['A0326'],
    `replaying ${replayed.length} answered bank_tran_ids is refused as a duplicate (A0326)`,
  );
  t.same(await balances(), after, 'and moves no money');
  const replayResults = await resultOf(replayed);
  t.same(
    [...replayResults.values()].filter((v) => v !== 'ok'),
    [],
    'transfer/result still reports each original success',
  );

  // An unanswered transfer that did not happen left nothing behind, not even its bank_tran_id claim: sent
  // again as it was, it goes through once.
  const claims = await db('testbed_bank_tran_ids')
    .where({ organization_id: ORG })
    .whereIn('bank_tran_id', unansweredNot.map((s) => s.bankTranId).slice(0, 500))
    .count({ n: '*' })
    .first();
  t.equal(Number(claims?.n), 0, 'no bank_tran_id claim survives without its transfer');
  const retried = unansweredNot.slice(0, 20);
  const retries = await Promise.all(
    retried.map((s) => postJson(server.base + s.url, s.body, { authorization: `Bearer ${tokens[s.token]}` })),
  );
  t.same(
    retries.map((r) => r.rsp_code),
    retried.map(() => 'A0000'),
    `sending ${retried.length} unanswered transfers again with their own bank_tran_id succeeds`,
  );
  for (const s of retried) {
    if (s.kind === 'withdraw') {
      add(s.account, -s.amount);
      add(COLLECTING, s.amount);
    } else {
      add(s.account, s.amount);
      add(PAYING, -s.amount);
    }
  }
  const afterRetries = await balances();
  t.same(
    afterRetries,
    Object.fromEntries(Object.keys(before).map((k) => [k, before[k]! + (delta[k] ?? 0)])),
    'and moves exactly their amounts, once',
  );
  t.ok((await ledgerOf(db).verifyBalances()).ok, 'the ledger still balances');

  // Workflow decisions cut by the kill: wholly before or wholly after.
  const newState = 'testing:in_progress';
  const split: string[] = [];
  let decidedCount = 0;
  for (const [i, d] of decisions.entries()) {
    const state = await stateOf(d.applicationId);
    const audit = await db('audit_events')
      .where({ application_id: d.applicationId, event: 'application.approved' })
      .select('from_state', 'to_state');
    const issued = await db('audit_events')
      .where({ application_id: d.applicationId, event: 'credentials.issued' })
      .count({ n: '*' })
      .first();
    const org = await db('applications').where({ id: d.applicationId }).first('organization_id');
    const sets = await db('credential_sets')
      .where({ organization_id: org.organization_id, environment: 'sandbox' })
      .count({ n: '*' })
      .first();
    const after = state === newState;
    if (after) decidedCount += 1;
    if (!after && state !== oldStates[i]) split.push(`${d.applicationId} is in ${state}`);
    if (
      after &&
      (audit.length !== 1 || audit[0].to_state !== newState || Number(issued?.n) !== 1 || Number(sets?.n) < 1)
    )
      split.push(
        `${d.applicationId} approved with ${audit.length} audit events, ${issued?.n} issued, ${sets?.n} credential sets`,
      );
    if (!after && (audit.length !== 0 || Number(issued?.n) !== 0 || Number(sets?.n) !== 0))
      split.push(
        `${d.applicationId} still ${state} but with ${audit.length} approval events, ${sets?.n} credential sets`,
      );
    if (d.answer === 303 && !after)
      split.push(`${d.applicationId}: the reviewer saw the approval go through, yet it is ${state}`);
  }
  t.same(
    split,
    [],
    'each decision is wholly before (no audit event, no credentials) or wholly after (its audit event and credentials)',
  );

  // A decision the kill undid can simply be made again.
  const browser = new HttpBrowser(server.base);
  await browser.login(reviewerEmail, STAFF_PASSWORD);
  for (const d of decisions) {
    if ((await stateOf(d.applicationId)) === newState) continue;
    const res = await browser.post(
      `/staff/applications/${d.applicationId}/decision`,
      { event: 'approve', reason: '적합성 요건을 모두 충족합니다.' },
      { formPath: `/staff/applications/${d.applicationId}` },
    );
    t.equal(res.status, 303, 'a decision lost with the process is made again after the restart');
    t.equal(await stateOf(d.applicationId), newState);
  }

  server.child.kill('SIGTERM');
  t.same(await server.exited, { code: 0, signal: null }, 'the last server shuts down cleanly');

  const interrupted = decisions.filter((d) => d.answer === null).length;
  console.log(
    `# crash consistency: ${sent.length} transfers sent, ${answeredOk.length} answered A0000, ${refused.length} refused, ${KILLS} kills ` +
      `(at ${killTimes.join('/')} ms, up to ${inFlightAtKill} requests in flight), ${unansweredHappened.length + unansweredNot.length} unanswered ` +
      `(${unansweredHappened.length} happened, ${unansweredNot.length} did not), ledger drift ${check.totalDrift}, ${check.mismatches.length} balance mismatches, ` +
      `request log missing ${answeredIds.length - logged} of ${answeredIds.length} answered calls, call counters ${counted} of ${answeredOk.length + unansweredHappened.length} transfers, ${replayed.length} replays refused, ${retried.length} unanswered sent again and done once; ${decisions.length} decisions (${interrupted} cut off, ${decidedCount} applied before the kill, answered in ${
        decisions
          .filter((d) => d.ms !== undefined)
          .map((d) => d.ms)
          .join('/') || '-'
      } ms); ` +
      `seed ${SEED}, ${shared.kind}; ${prepSeconds.toFixed(1)} s preparing, starts ${startSeconds.map((x) => x.toFixed(1)).join('/')} s, ` +
      `${runSeconds.toFixed(1)} s until the last kill, ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
  );
});
