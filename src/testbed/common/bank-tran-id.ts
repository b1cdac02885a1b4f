// Rule: bank_tran_id is 20 characters = the caller's 이용기관코드 (10) + 'U' + 9 alphanumerics (else A0004),
// and is unique per institution per KST day (else A0326). The claim is written inside the caller's
// transaction, so a request refused later changes nothing (its claim rolls back with it).
import { isPostgres, placeholders, rawRows, sqlCache, type Runner } from '../../db/knex';
import { KftcError, messages } from './kftc-error';
import { formatError } from './request-fields';
import { kstDate } from './envelope';

const TAIL = /^U[0-9A-Za-z]{9}$/;

/**
 * Throws A0004 unless `bankTranId` is `<clientUseCode>U` + 9 alphanumerics. The emulator stays strict on
 * the length (KFTC's spec: AN(20)); the refusal says exactly what to send, because some public clients
 * build unpadded serials (19–21 characters now and then).
 */
export function checkBankTranId(bankTranId: unknown, clientUseCode: string): string {
  if (typeof bankTranId !== 'string' || bankTranId === '') throw formatError('bank_tran_id', '필수 항목 누락');
  const expected = `${clientUseCode}U + 영숫자 9자리 (예: ${clientUseCode}U000000042, 일련번호는 0으로 채움)`;
  if (bankTranId.length !== 20)
    throw formatError('bank_tran_id', `정확히 20자리여야 함 (받은 값 ${bankTranId.length}자리): ${expected}`);
  if (!bankTranId.startsWith(clientUseCode))
    throw formatError('bank_tran_id', `이용기관코드(${clientUseCode})로 시작해야 함: ${expected}`);
  if (!TAIL.test(bankTranId.slice(10))) throw formatError('bank_tran_id', `11번째 자리 U + 영숫자 9자리: ${expected}`);
  return bankTranId;
}

export async function claimBankTranId(
  trx: Runner,
  input: { organizationId: string; clientUseCode: string; bankTranId: unknown; date: Date | string },
): Promise<void> {
  const bankTranId = checkBankTranId(input.bankTranId, input.clientUseCode);
  const tranDate = typeof input.date === 'string' ? input.date : kstDate(input.date);
  // One statement: the insert either claims the id or does nothing (never a constraint error, which
  // would abort the caller's PostgreSQL transaction); a concurrent claim of the same id waits for ours.
  const claimed = await trx('testbed_bank_tran_ids')
    .insert({
      organization_id: input.organizationId,
      tran_date: tranDate,
      bank_tran_id: bankTranId,
      created_at: new Date().toISOString(),
    })
    .onConflict(['organization_id', 'tran_date', 'bank_tran_id'])
    .ignore()
    .returning('bank_tran_id');
  if (!Array.isArray(claimed) || claimed.length === 0) throw new KftcError('A0326', messages.A0326!);
}

// The claim as plain SQL (portable: ON CONFLICT … DO NOTHING RETURNING on SQLite ≥ 3.35 and PostgreSQL),
// its text cached per row count: knex's builder costs more than the insert.
const claimSql = sqlCache(
  (
    rows,
  ) => `INSERT INTO testbed_bank_tran_ids (organization_id, tran_date, bank_tran_id, created_at) VALUES ${placeholders(rows, 4)}
  ON CONFLICT (organization_id, tran_date, bank_tran_id) DO NOTHING RETURNING organization_id, tran_date, bank_tran_id`,
);

// On SQLite the claims travel as ONE bound JSON value (see src/db/insert-rows.ts: the driver converts each
// bound value on the event loop); `WHERE true` lets SQLite read ON CONFLICT as the upsert clause after a SELECT.
const claimJsonSql = `INSERT INTO testbed_bank_tran_ids (organization_id, tran_date, bank_tran_id, created_at)
  SELECT value ->> 0, value ->> 1, value ->> 2, ? FROM json_each(?) WHERE true
  ON CONFLICT (organization_id, tran_date, bank_tran_id) DO NOTHING RETURNING organization_id, tran_date, bank_tran_id`;

export interface BankTranIdClaim {
  organizationId: string;
  tranDate: string;
  bankTranId: string;
}

/**
 * Claims many already-checked bank_tran_ids in ONE statement (several organizations and days may mix).
 * Returns, per claim in order, whether it was won: false when the id was already used that day, or when
 * an earlier claim in the same list has the same key (the first one wins).
 */
export async function claimBankTranIds(run: Runner, claims: BankTranIdClaim[]): Promise<boolean[]> {
  const keyOf = (c: { organizationId: string; tranDate: string; bankTranId: string }) =>
    `${c.organizationId}|${c.tranDate}|${c.bankTranId}`;
  const firsts = new Map<string, number>();
  claims.forEach((c, i) => {
    if (!firsts.has(keyOf(c))) firsts.set(keyOf(c), i);
  });
  const createdAt = new Date().toISOString();
  const unique = [...firsts.values()].map((i) => claims[i]!);
  const inserted: { organization_id: string; tran_date: string; bank_tran_id: string }[] = [];
  if (!isPostgres(run)) {
    // The ids were checked (alphanumerics), organization ids and dates are ours: all plain JSON strings.
    const list = unique.map((c) => [c.organizationId, c.tranDate, c.bankTranId]);
    inserted.push(
      ...rawRows<(typeof inserted)[number]>(await run.raw(claimJsonSql, [createdAt, JSON.stringify(list)])),
    );
  } else {
    // 4 bound values a row: 200 rows stay far below the limits on variables per statement.
    for (let i = 0; i < unique.length; i += 200) {
      const chunk = unique.slice(i, i + 200);
      inserted.push(
        ...rawRows<(typeof inserted)[number]>(
          await run.raw(
            claimSql(chunk.length),
            chunk.flatMap((c) => [c.organizationId, c.tranDate, c.bankTranId, createdAt]),
          ),
        ),
      );
    }
  }
  const won = new Set(
    inserted.map((r) =>
      keyOf({ organizationId: r.organization_id, tranDate: r.tran_date, bankTranId: r.bank_tran_id }),
    ),
  );
  return claims.map((c, i) => firsts.get(keyOf(c)) === i && won.has(keyOf(c)));
}
