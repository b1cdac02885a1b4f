// Test-bed people and their registered accounts: global seeded test people plus each organization's own,
// bank accounts opened through the ledger, registrations (fintech numbers) with consent flags and times.
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { IdGenerator } from '../../db/ids';
import type { Runner } from '../../db/knex';
import type { AuditService, AuditActor } from '../../audit/service';
import type { LedgerService } from '../ledger/service';
import { isKnownBank } from '../ledger/banks';
import { hashPassword, verifyPassword, dummyHash } from '../../accounts/password-hashing';
import { AppError, validationFailed, type FieldError } from '../../http/errors';
import { kstDateTime } from '../common/envelope';
import { accountNumFrom, fintechUseNumFrom, userCiFrom, userSeqNoFrom } from './identifier-formats';
import { createTestbedUsersRepository, type FintechAccount, type TestbedUser } from './repository';
import { PAGE_SIZE_DEFAULT, type PageRequest } from '../../pagination/cursor';

export type { FintechAccount, TestbedUser, RegisteredAccount } from './repository';

/** Consents are valid for one year (the KFTC re-consent cycle). */
const CONSENT_VALIDITY_MS = 365 * 24 * 60 * 60 * 1000;
const MAX_TEST_USERS_PER_ORG = 50;
const MAX_OPENING_BALANCE = 10_000_000_000;
const LOGIN_ID_RE = /^[A-Za-z0-9._-]{3,50}$/;
const MIN_TEST_PASSWORD = 4;

const repo = createTestbedUsersRepository();

/** The lookup service APIs use for a fintech_use_num (undefined when unknown). */
export function findFintechAccount(runner: Runner, fintechUseNum: string): Promise<FintechAccount | undefined> {
  if (typeof fintechUseNum !== 'string' || !/^\d{24}$/.test(fintechUseNum)) return Promise.resolve(undefined);
  return repo.findFintechAccount(runner, fintechUseNum);
}

function clean(v: unknown, max: number): string {
  return typeof v === 'string' ? v.trim().slice(0, max + 1) : '';
}

/** "1988-01-01" or "19880101" → "1988-01-01"; null when not a real past date. */
function normalizeBirthDate(raw: string, now: Date): string | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(raw);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  if (y < 1900 || t.getTime() > now.getTime()) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export interface NewTestUser {
  userSeqNo?: string;
  loginId: string;
  password: string;
  name: string;
  birthDate: string;
  phone?: string | null;
}
export interface NewTestAccount {
  bankCode: string;
  accountNum?: string;
  openingBalance: number;
  productName?: string;
  withHistory?: boolean;
}

export function createTestbedUsersService(deps: {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  ledger: LedgerService;
}) {
  const { db, clock, ids } = deps;
  const now = () => clock().toISOString();

  /** People as the sandbox lists them: each with their accounts in the organization's sandbox world. */
  async function withAccounts(users: readonly TestbedUser[], organizationId: string) {
    const out = [];
    for (const u of users)
      out.push({
        userSeqNo: u.userSeqNo,
        name: u.name,
        loginId: u.loginId,
        birthDate: u.birthDate,
        own: u.organizationId === organizationId,
        closed: Boolean(u.closedAt),
        accounts: await repo.listPersonalAccounts(db, u.userSeqNo, organizationId),
      });
    return out;
  }

  async function newUserSeqNo(run: Runner): Promise<string> {
    for (let i = 0; i < 20; i++) {
      const candidate = userSeqNoFrom(ids());
      if (!(await repo.userSeqNoTaken(run, candidate))) return candidate;
    }
    throw new Error('could not allocate a user_seq_no');
  }

  async function newFintechUseNum(run: Runner, clientUseCode: string): Promise<string> {
    for (let i = 0; i < 20; i++) {
      const candidate = fintechUseNumFrom(clientUseCode, ids());
      if (!(await repo.fintechNumberTaken(run, candidate))) return candidate;
    }
    throw new Error('could not allocate a fintech_use_num');
  }

  /** Inserts a person (already validated). organizationId null = a global test person. */
  async function insertPerson(run: Runner, organizationId: string | null, u: NewTestUser): Promise<TestbedUser> {
    const userSeqNo = u.userSeqNo ?? (await newUserSeqNo(run));
    await repo.insertUser(run, {
      userSeqNo,
      organizationId,
      loginId: u.loginId,
      passwordHash: await hashPassword(u.password),
      name: u.name,
      birthDate: u.birthDate,
      userCi: userCiFrom(`${userSeqNo}:${u.userSeqNo ? 'seed' : ids()}`),
      phone: u.phone ?? null,
      createdAt: now(),
    });
    return (await repo.findUser(run, userSeqNo))!;
  }

  async function openPersonAccount(
    trx: Knex.Transaction,
    user: TestbedUser,
    a: NewTestAccount,
  ): Promise<{ id: string; accountNum: string }> {
    const accountNum = a.accountNum ?? accountNumFrom(a.bankCode, ids());
    const holderInfo = user.birthDate.replace(/-/g, '').slice(2); // 6-digit birth date for real_name
    const { id } = await deps.ledger.openAccount(
      {
        bankCode: a.bankCode,
        accountNum,
        holderName: user.name,
        holderInfo,
        userSeqNo: user.userSeqNo,
        organizationId: user.organizationId,
        purpose: 'personal',
        productName: a.productName,
        openingBalance: a.openingBalance,
        withHistory: a.withHistory ?? true,
      },
      trx,
    );
    return { id, accountNum };
  }

  const service = {
    findFintechAccount,

    /** Whether the organization has this account registered (state 01) for a user (the authorize pages mark it). */
    async isRegisteredFor(organizationId: string, bankAccountId: string): Promise<boolean> {
      return (await repo.findFintechByAccount(db, organizationId, bankAccountId))?.state === '01';
    },

    findUser(userSeqNo: string, run: Runner = db): Promise<TestbedUser | undefined> {
      return repo.findUser(run, userSeqNo);
    },

    /** The identity check of the authorize pages: login id + password, org's own people first. Same cost when unknown. */
    async verifyLogin(organizationId: string, loginId: unknown, password: unknown): Promise<TestbedUser | null> {
      const id = clean(loginId, 50);
      const pw = typeof password === 'string' ? password.slice(0, 201) : '';
      const user = id ? await repo.findByLogin(db, organizationId, id) : undefined;
      const ok = await verifyPassword(pw, user?.passwordHash ?? (await dummyHash()));
      if (!user || !ok || user.closedAt) return null;
      return user;
    },

    /** Demo seeds: a global (or organization) test person with fixed number, plus accounts with history. */
    async seedPerson(
      organizationId: string | null,
      u: NewTestUser,
      accounts: NewTestAccount[],
      trx: Knex.Transaction,
    ): Promise<TestbedUser> {
      const user = await insertPerson(trx, organizationId, u);
      for (const a of accounts) await openPersonAccount(trx, user, a);
      return user;
    },

    /** An organization member creates a test person for their sandbox (form fields: name, birth_date, login_id, password, phone). */
    async createTestUser(
      actor: AuditActor,
      organizationId: string,
      input: Record<string, unknown>,
    ): Promise<TestbedUser> {
      const name = clean(input.name, 100);
      const birthRaw = clean(input.birth_date, 10);
      const loginId = clean(input.login_id, 50);
      const password = typeof input.password === 'string' ? input.password : '';
      const phone = clean(input.phone, 20).replace(/[\s-]/g, '');
      const errors: FieldError[] = [];
      if (!name) errors.push({ field: 'name', message: 'sandbox.errors.name_required' });
      else if (name.length > 100)
        errors.push({ field: 'name', message: 'sandbox.errors.too_long', params: { max: 100 } });
      const birthDate = normalizeBirthDate(birthRaw, clock());
      if (!birthRaw) errors.push({ field: 'birth_date', message: 'sandbox.errors.birth_date_required' });
      else if (!birthDate) errors.push({ field: 'birth_date', message: 'sandbox.errors.birth_date_invalid' });
      if (!loginId) errors.push({ field: 'login_id', message: 'sandbox.errors.login_id_required' });
      else if (!LOGIN_ID_RE.test(loginId))
        errors.push({ field: 'login_id', message: 'sandbox.errors.login_id_invalid' });
      if (password.length < MIN_TEST_PASSWORD)
        errors.push({
          field: 'password',
          message: 'sandbox.errors.test_password_short',
          params: { min: MIN_TEST_PASSWORD },
        });
      else if (password.length > 200)
        errors.push({ field: 'password', message: 'sandbox.errors.too_long', params: { max: 200 } });
      if (phone && !/^0\d{8,10}$/.test(phone)) errors.push({ field: 'phone', message: 'sandbox.errors.phone_invalid' });
      if (errors.length) throw validationFailed(errors);
      return db.transaction(async (trx) => {
        if ((await repo.loginTaken(trx, organizationId, loginId)) || (await repo.loginTaken(trx, 'global', loginId))) {
          throw validationFailed([{ field: 'login_id', message: 'sandbox.errors.login_id_taken' }]);
        }
        const count = await trx('testbed_users')
          .where({ organization_id: organizationId })
          .count<{ n: number | string }[]>({ n: '*' })
          .first();
        if (Number(count?.n ?? 0) >= MAX_TEST_USERS_PER_ORG)
          throw validationFailed([
            { field: 'name', message: 'sandbox.errors.too_many_users', params: { max: MAX_TEST_USERS_PER_ORG } },
          ]);
        const user = await insertPerson(trx, organizationId, {
          loginId,
          password,
          name,
          birthDate: birthDate!,
          phone: phone || null,
        });
        await deps.audit.record(
          {
            event: 'sandbox.test_user_created',
            actor,
            organizationId,
            data: { user_seq_no: user.userSeqNo, login_id: loginId },
          },
          trx,
        );
        return user;
      });
    },

    /** Opens a bank account for one of the organization's own test people (fields: bank_code, account_num?, opening_balance). */
    async createTestAccount(
      actor: AuditActor,
      organizationId: string,
      userSeqNoInput: unknown,
      input: Record<string, unknown>,
    ): Promise<{ accountNum: string }> {
      const userSeqNo = clean(userSeqNoInput, 10);
      const user = /^\d{10}$/.test(userSeqNo) ? await repo.findUser(db, userSeqNo) : undefined;
      // Only the organization's own test people get new accounts (the global ones are shared).
      if (!user || user.organizationId !== organizationId || user.closedAt)
        throw validationFailed([{ field: 'user_seq_no', message: 'sandbox.errors.person_required' }]);
      const bankCode = clean(input.bank_code, 3);
      const accountNumRaw = clean(input.account_num, 20).replace(/[\s-]/g, '');
      const balanceRaw = clean(input.opening_balance, 20).replace(/[\s,]/g, '');
      const productName = clean(input.product_name, 100);
      const errors: FieldError[] = [];
      if (!/^\d{3}$/.test(bankCode) || !isKnownBank(bankCode))
        errors.push({ field: 'bank_code', message: 'sandbox.errors.bank_code_invalid' });
      if (accountNumRaw && !/^\d{8,16}$/.test(accountNumRaw))
        errors.push({ field: 'account_num', message: 'sandbox.errors.account_num_invalid' });
      const balance = Number(balanceRaw);
      if (!balanceRaw || !/^\d+$/.test(balanceRaw) || !Number.isSafeInteger(balance) || balance > MAX_OPENING_BALANCE) {
        errors.push({
          field: 'opening_balance',
          message: 'sandbox.errors.opening_balance_invalid',
          params: { max: MAX_OPENING_BALANCE.toLocaleString('en-US') },
        });
      }
      if (productName.length > 100)
        errors.push({ field: 'product_name', message: 'sandbox.errors.too_long', params: { max: 100 } });
      if (errors.length) throw validationFailed(errors);
      return db.transaction(async (trx) => {
        // Unique in the organization's world, and not a template number (every world gets a copy of those).
        const taken = accountNumRaw
          ? await deps.ledger.repo.findAccountInWorlds(trx, organizationId, bankCode, accountNumRaw)
          : {};
        if (taken.own || taken.template) {
          throw validationFailed([{ field: 'account_num', message: 'sandbox.errors.account_num_taken' }]);
        }
        const { accountNum } = await openPersonAccount(trx, user, {
          bankCode,
          accountNum: accountNumRaw || undefined,
          openingBalance: balance,
          productName: productName || undefined,
          withHistory: true,
        });
        await deps.audit.record(
          {
            event: 'sandbox.test_account_opened',
            actor,
            organizationId,
            data: { user_seq_no: userSeqNo, bank_code: bankCode, account_num: accountNum, opening_balance: balance },
          },
          trx,
        );
        return { accountNum };
      });
    },

    /**
     * Test people an organization can use with their bank accounts in its sandbox world: a page of its own (newest
     * first; `page` defaults to the first PAGE_SIZE_DEFAULT) and the global ones, which every organization shares.
     */
    async pageForOrganization(organizationId: string, page: PageRequest = { size: PAGE_SIZE_DEFAULT }) {
      await deps.ledger.worlds.ensure(organizationId);
      const own = await repo.pageOwnUsers(db, organizationId, page);
      const shared = await repo.listSharedUsers(db);
      return {
        own: { ...own, rows: await withAccounts(own.rows, organizationId) },
        shared: await withAccounts(shared, organizationId),
      };
    },

    /** One test person the organization can use (its own or a global one), as the list shows them; else undefined. */
    async personFor(organizationId: string, userSeqNo: string) {
      const u = await repo.findUser(db, userSeqNo);
      if (!u || (u.organizationId !== null && u.organizationId !== organizationId)) return undefined;
      await deps.ledger.worlds.ensure(organizationId);
      return (await withAccounts([u], organizationId))[0];
    },

    /**
     * The person's accounts: in the organization's sandbox world when `organizationId` is given, else in
     * the person's home world (the template for a global person). registerAccounts accepts either.
     */
    listPersonalAccounts(userSeqNo: string, run: Runner = db, organizationId?: string) {
      return repo.listPersonalAccounts(run, userSeqNo, organizationId);
    },

    /** Makes sure the organization's sandbox world exists (see ../ledger/sandbox-worlds.ts); cached. */
    ensureWorld(organizationId: string, trx?: Knex.Transaction): Promise<void> {
      return deps.ledger.worlds.ensure(organizationId, { trx });
    },

    /**
     * Registers the user's accounts with the organization inside `trx` (the authorize flow's final step):
     * a fintech_use_num per account (kept if the account was registered before), consent flags and times,
     * consent records, and the user's login connection. Only the user's own active accounts qualify.
     * Accounts are registered in the organization's sandbox world: a template account id (what the
     * authorize pages list for a global test person) stands for the organization's copy of it.
     */
    async registerAccounts(
      trx: Knex.Transaction,
      input: {
        organizationId: string;
        clientUseCode: string;
        userSeqNo: string;
        bankAccountIds: string[];
        inquiry: boolean;
        transfer: boolean;
        transferMethod: 'ars' | 'certificate';
        at: Date;
      },
    ): Promise<string[]> {
      const at = input.at;
      const iso = at.toISOString();
      const dtime = kstDateTime(at);
      const expires = new Date(at.getTime() + CONSENT_VALIDITY_MS).toISOString();
      await deps.ledger.worlds.ensure(input.organizationId, { trx });
      const accountIds: string[] = [];
      for (const requested of [...new Set(input.bankAccountIds)]) {
        const account = await deps.ledger.worlds.accountInWorld(trx, input.organizationId, requested);
        if (
          !account ||
          account.userSeqNo !== input.userSeqNo ||
          account.purpose !== 'personal' ||
          account.status !== 'active'
        ) {
          throw new AppError('bad_request', "not the user's active account");
        }
        if (!accountIds.includes(account.id)) accountIds.push(account.id);
      }
      await repo.upsertLink(trx, input.organizationId, input.userSeqNo, iso);
      await repo.insertConsent(trx, {
        id: ids(),
        organizationId: input.organizationId,
        userSeqNo: input.userSeqNo,
        fintechUseNum: null,
        kind: 'login',
        method: 'agree',
        agreedAt: iso,
        expiresAt: null,
      });
      const numbers: string[] = [];
      for (const accountId of accountIds) {
        const existing = await repo.findFintechByAccount(trx, input.organizationId, accountId);
        const flags = {
          inquiry_agree_yn: input.inquiry ? 'Y' : existing?.state === '01' ? existing.inquiryAgreeYn : 'N',
          inquiry_agree_dtime: input.inquiry ? dtime : existing?.state === '01' ? existing.inquiryAgreeDtime : null,
          inquiry_expires_at: input.inquiry ? expires : existing?.state === '01' ? existing.inquiryExpiresAt : null,
          transfer_agree_yn: input.transfer ? 'Y' : existing?.state === '01' ? existing.transferAgreeYn : 'N',
          transfer_agree_dtime: input.transfer ? dtime : existing?.state === '01' ? existing.transferAgreeDtime : null,
          transfer_expires_at: input.transfer ? expires : existing?.state === '01' ? existing.transferExpiresAt : null,
        };
        let num: string;
        if (existing) {
          num = existing.fintechUseNum;
          await repo.updateFintechAccount(trx, num, { ...flags, state: '01', updated_at: iso });
        } else {
          num = await newFintechUseNum(trx, input.clientUseCode);
          await repo.insertFintechAccount(trx, {
            fintech_use_num: num,
            organization_id: input.organizationId,
            user_seq_no: input.userSeqNo,
            bank_account_id: accountId,
            account_alias: null,
            ...flags,
            state: '01',
            created_at: iso,
            updated_at: iso,
          });
        }
        if (input.inquiry)
          await repo.insertConsent(trx, {
            id: ids(),
            organizationId: input.organizationId,
            userSeqNo: input.userSeqNo,
            fintechUseNum: num,
            kind: 'inquiry',
            method: 'agree',
            agreedAt: iso,
            expiresAt: expires,
          });
        if (input.transfer)
          await repo.insertConsent(trx, {
            id: ids(),
            organizationId: input.organizationId,
            userSeqNo: input.userSeqNo,
            fintechUseNum: num,
            kind: 'transfer',
            method: input.transferMethod,
            agreedAt: iso,
            expiresAt: expires,
          });
        numbers.push(num);
      }
      return numbers;
    },
  };
  return service;
}
export type TestbedUsersService = ReturnType<typeof createTestbedUsersService>;
export { PEOPLE_CURSOR } from './repository';
