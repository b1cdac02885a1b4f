// Knex queries for test-bed people, their links to organizations, registered accounts (fintech numbers)
// and consents. Every method takes a runner (the database or a transaction).
import type { Runner } from '../../db/knex';
import { PAGE_SIZE_MAX, type Page, type PageRequest } from '../../pagination/cursor';
import { keysetPage, type KeysetOrder } from '../../pagination/keyset';

const NEWEST_PEOPLE_FIRST: KeysetOrder<{ created_at: string; user_seq_no: string }> = {
  columns: ['created_at', 'user_seq_no'],
  direction: 'desc',
  keyOf: (r) => [r.created_at, r.user_seq_no],
};
/** The cursor shape of the test people list. */
export const PEOPLE_CURSOR = ['string', 'string'] as const;

export interface TestbedUser {
  userSeqNo: string;
  organizationId: string | null;
  loginId: string;
  passwordHash: string;
  name: string;
  birthDate: string;
  userCi: string;
  phone: string | null;
  createdAt: string;
  closedAt: string | null;
}

interface UserRow {
  user_seq_no: string;
  organization_id: string | null;
  login_scope: string;
  login_id: string;
  password_hash: string;
  name: string;
  birth_date: string;
  user_ci: string;
  phone: string | null;
  created_at: string;
  closed_at: string | null;
}

function userFromRow(r: UserRow): TestbedUser {
  return {
    userSeqNo: r.user_seq_no,
    organizationId: r.organization_id,
    loginId: r.login_id,
    passwordHash: r.password_hash,
    name: r.name,
    birthDate: r.birth_date,
    userCi: r.user_ci,
    phone: r.phone,
    createdAt: r.created_at,
    closedAt: r.closed_at,
  };
}

export interface FintechAccount {
  fintechUseNum: string;
  organizationId: string;
  userSeqNo: string;
  bankAccountId: string;
  accountAlias: string | null;
  inquiryAgreeYn: 'Y' | 'N';
  inquiryAgreeDtime: string | null;
  inquiryExpiresAt: string | null;
  transferAgreeYn: 'Y' | 'N';
  transferAgreeDtime: string | null;
  transferExpiresAt: string | null;
  state: '01' | '09';
  createdAt: string;
  updatedAt: string;
}

export interface FintechAccountRow {
  fintech_use_num: string;
  organization_id: string;
  user_seq_no: string;
  bank_account_id: string;
  account_alias: string | null;
  inquiry_agree_yn: string;
  inquiry_agree_dtime: string | null;
  transfer_agree_yn: string;
  transfer_agree_dtime: string | null;
  inquiry_expires_at: string | null;
  transfer_expires_at: string | null;
  state: string;
  created_at: string;
  updated_at: string;
}

function fintechFromRow(r: FintechAccountRow): FintechAccount {
  return {
    fintechUseNum: r.fintech_use_num,
    organizationId: r.organization_id,
    userSeqNo: r.user_seq_no,
    bankAccountId: r.bank_account_id,
    accountAlias: r.account_alias,
    inquiryAgreeYn: r.inquiry_agree_yn === 'Y' ? 'Y' : 'N',
    inquiryAgreeDtime: r.inquiry_agree_dtime,
    inquiryExpiresAt: r.inquiry_expires_at,
    transferAgreeYn: r.transfer_agree_yn === 'Y' ? 'Y' : 'N',
    transferAgreeDtime: r.transfer_agree_dtime,
    transferExpiresAt: r.transfer_expires_at,
    state: r.state === '09' ? '09' : '01',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A registered account joined with its bank account (what user/me and account/list print). */
export interface RegisteredAccount extends FintechAccount {
  bankCode: string;
  accountNum: string;
  holderName: string;
  accountType: string;
  productName: string;
  accountStatus: string;
  balance: number;
}

export interface UserLink {
  organizationId: string;
  userSeqNo: string;
  linkedAt: string;
  unlinkedAt: string | null;
  closedAt: string | null;
}

export function createTestbedUsersRepository() {
  return {
    async insertUser(
      run: Runner,
      u: {
        userSeqNo: string;
        organizationId: string | null;
        loginId: string;
        passwordHash: string;
        name: string;
        birthDate: string;
        userCi: string;
        phone: string | null;
        createdAt: string;
      },
    ): Promise<void> {
      await run('testbed_users').insert({
        user_seq_no: u.userSeqNo,
        organization_id: u.organizationId,
        login_scope: u.organizationId ?? 'global',
        login_id: u.loginId,
        password_hash: u.passwordHash,
        name: u.name,
        birth_date: u.birthDate,
        user_ci: u.userCi,
        phone: u.phone,
        created_at: u.createdAt,
        closed_at: null,
      });
    },

    async findUser(run: Runner, userSeqNo: string): Promise<TestbedUser | undefined> {
      const r = await run<UserRow>('testbed_users').where({ user_seq_no: userSeqNo }).first();
      return r ? userFromRow(r) : undefined;
    },

    async userSeqNoTaken(run: Runner, userSeqNo: string): Promise<boolean> {
      return Boolean(await run('testbed_users').where({ user_seq_no: userSeqNo }).first('user_seq_no'));
    },

    /** Login ids are unique per scope: the organization's own people, then the global test people. */
    async findByLogin(run: Runner, organizationId: string, loginId: string): Promise<TestbedUser | undefined> {
      const rows = await run<UserRow>('testbed_users')
        .whereIn('login_scope', [organizationId, 'global'])
        .andWhere({ login_id: loginId });
      const own = rows.find((r) => r.login_scope === organizationId) ?? rows[0];
      return own ? userFromRow(own) : undefined;
    },

    async loginTaken(run: Runner, scope: string, loginId: string): Promise<boolean> {
      return Boolean(await run('testbed_users').where({ login_scope: scope, login_id: loginId }).first('user_seq_no'));
    },

    /** A page of the organization's own test people, newest first (index testbed_users_page). */
    async pageOwnUsers(run: Runner, organizationId: string, page: PageRequest): Promise<Page<TestbedUser>> {
      const found = await keysetPage<UserRow>(
        run('testbed_users').where({ organization_id: organizationId }),
        NEWEST_PEOPLE_FIRST,
        page,
      );
      return { ...found, rows: found.rows.map(userFromRow) };
    },

    /**
     * The global test people every organization can use. They come from the test bed's own fixtures (no user makes
     * one), so the list is short by construction; PAGE_SIZE_MAX bounds it all the same.
     */
    async listSharedUsers(run: Runner): Promise<TestbedUser[]> {
      const rows = await run<UserRow>('testbed_users')
        .whereNull('organization_id')
        .orderBy('user_seq_no', 'asc')
        .limit(PAGE_SIZE_MAX);
      return rows.map(userFromRow);
    },

    /** The person and their link with the organization in one query (management APIs). */
    async findUserWithLink(
      run: Runner,
      organizationId: string,
      userSeqNo: string,
    ): Promise<{ user: TestbedUser; link: UserLink | undefined } | undefined> {
      const r = await run('testbed_users as u')
        .leftJoin('testbed_user_links as l', (j) =>
          j.on('l.user_seq_no', '=', 'u.user_seq_no').andOn('l.organization_id', '=', run.raw('?', [organizationId])),
        )
        .where('u.user_seq_no', userSeqNo)
        .first(
          'u.*',
          'l.organization_id as link_org',
          'l.linked_at as link_linked_at',
          'l.unlinked_at as link_unlinked_at',
          'l.closed_at as link_closed_at',
        );
      if (!r) return undefined;
      const link = r.link_org
        ? {
            organizationId: r.link_org,
            userSeqNo,
            linkedAt: r.link_linked_at,
            unlinkedAt: r.link_unlinked_at,
            closedAt: r.link_closed_at,
          }
        : undefined;
      return { user: userFromRow(r as UserRow), link };
    },

    async findLink(run: Runner, organizationId: string, userSeqNo: string): Promise<UserLink | undefined> {
      const r = await run('testbed_user_links')
        .where({ organization_id: organizationId, user_seq_no: userSeqNo })
        .first();
      return r
        ? {
            organizationId: r.organization_id,
            userSeqNo: r.user_seq_no,
            linkedAt: r.linked_at,
            unlinkedAt: r.unlinked_at,
            closedAt: r.closed_at,
          }
        : undefined;
    },

    /** Creates or re-opens the user's connection with the organization. */
    async upsertLink(run: Runner, organizationId: string, userSeqNo: string, at: string): Promise<void> {
      const updated = await run('testbed_user_links')
        .where({ organization_id: organizationId, user_seq_no: userSeqNo })
        .update({ linked_at: at, unlinked_at: null, closed_at: null });
      if (!updated)
        await run('testbed_user_links').insert({
          organization_id: organizationId,
          user_seq_no: userSeqNo,
          linked_at: at,
          unlinked_at: null,
          closed_at: null,
        });
    },

    async endLink(
      run: Runner,
      organizationId: string,
      userSeqNo: string,
      field: 'unlinked_at' | 'closed_at',
      at: string,
    ): Promise<number> {
      return run('testbed_user_links')
        .where({ organization_id: organizationId, user_seq_no: userSeqNo })
        .update({ [field]: at });
    },

    async findFintechAccount(run: Runner, fintechUseNum: string): Promise<FintechAccount | undefined> {
      const r = await run<FintechAccountRow>('testbed_fintech_accounts')
        .where({ fintech_use_num: fintechUseNum })
        .first();
      return r ? fintechFromRow(r) : undefined;
    },

    /**
     * The organization's registration of a bank account. The account may be named by its copy in the
     * organization's world or by the template account it copies (the authorize pages list the template).
     */
    async findFintechByAccount(
      run: Runner,
      organizationId: string,
      bankAccountId: string,
    ): Promise<FintechAccount | undefined> {
      const r = await run('testbed_fintech_accounts as f')
        .join('bank_accounts as b', 'b.id', 'f.bank_account_id')
        .join('bank_accounts as named', (j) =>
          j.on('named.bank_code', '=', 'b.bank_code').andOn('named.account_num', '=', 'b.account_num'),
        )
        .where({ 'f.organization_id': organizationId, 'named.id': bankAccountId })
        .whereIn('named.world', ['', organizationId])
        .whereIn('b.world', ['', organizationId])
        .first<FintechAccountRow | undefined>('f.*');
      return r ? fintechFromRow(r) : undefined;
    },

    async fintechNumberTaken(run: Runner, fintechUseNum: string): Promise<boolean> {
      return Boolean(
        await run('testbed_fintech_accounts').where({ fintech_use_num: fintechUseNum }).first('fintech_use_num'),
      );
    },

    async insertFintechAccount(run: Runner, row: FintechAccountRow): Promise<void> {
      await run('testbed_fintech_accounts').insert(row);
    },

    async updateFintechAccount(run: Runner, fintechUseNum: string, patch: Partial<FintechAccountRow>): Promise<number> {
      return run('testbed_fintech_accounts').where({ fintech_use_num: fintechUseNum }).update(patch);
    },

    /** Cancels every registration of the user with the organization (user/close). */
    async cancelAllForUser(run: Runner, organizationId: string, userSeqNo: string, at: string): Promise<number> {
      return run('testbed_fintech_accounts')
        .where({ organization_id: organizationId, user_seq_no: userSeqNo, state: '01' })
        .update({ state: '09', inquiry_agree_yn: 'N', transfer_agree_yn: 'N', updated_at: at });
    },

    async listRegistered(
      run: Runner,
      organizationId: string,
      userSeqNo: string,
      opts: { includeCancelled: boolean; order: 'asc' | 'desc' },
    ): Promise<RegisteredAccount[]> {
      const q = run('testbed_fintech_accounts as f')
        .join('bank_accounts as b', 'b.id', 'f.bank_account_id')
        .where({ 'f.organization_id': organizationId, 'f.user_seq_no': userSeqNo })
        .select(
          'f.*',
          'b.bank_code',
          'b.account_num',
          'b.account_holder_name',
          'b.account_type',
          'b.product_name',
          'b.status as account_status',
          'b.balance',
        )
        .orderBy('f.created_at', opts.order)
        .orderBy('b.bank_code', opts.order)
        .orderBy('b.account_num', opts.order);
      if (!opts.includeCancelled) q.andWhere('f.state', '01');
      const rows = await q;
      return rows.map(
        (
          r: FintechAccountRow & {
            bank_code: string;
            account_num: string;
            account_holder_name: string;
            account_type: string;
            product_name: string;
            account_status: string;
            balance: number | string;
          },
        ) => ({
          ...fintechFromRow(r),
          bankCode: r.bank_code,
          accountNum: r.account_num,
          holderName: r.account_holder_name,
          accountType: r.account_type,
          productName: r.product_name,
          accountStatus: r.account_status,
          balance: Number(r.balance),
        }),
      );
    },

    async insertConsent(
      run: Runner,
      c: {
        id: string;
        organizationId: string;
        userSeqNo: string;
        fintechUseNum: string | null;
        kind: string;
        method: string;
        agreedAt: string;
        expiresAt: string | null;
      },
    ): Promise<void> {
      await run('testbed_consents').insert({
        id: c.id,
        organization_id: c.organizationId,
        user_seq_no: c.userSeqNo,
        fintech_use_num: c.fintechUseNum,
        kind: c.kind,
        method: c.method,
        agreed_at: c.agreedAt,
        expires_at: c.expiresAt,
        withdrawn_at: null,
      });
    },

    async withdrawConsents(
      run: Runner,
      where: { organizationId: string; userSeqNo: string; fintechUseNum?: string; kind?: string },
      at: string,
    ): Promise<number> {
      const q = run('testbed_consents')
        .where({ organization_id: where.organizationId, user_seq_no: where.userSeqNo })
        .whereNull('withdrawn_at');
      if (where.fintechUseNum) q.andWhere({ fintech_use_num: where.fintechUseNum });
      if (where.kind) q.andWhere({ kind: where.kind });
      return q.update({ withdrawn_at: at });
    },

    async listConsents(
      run: Runner,
      organizationId: string,
      userSeqNo: string,
    ): Promise<
      {
        kind: string;
        method: string;
        fintechUseNum: string | null;
        agreedAt: string;
        expiresAt: string | null;
        withdrawnAt: string | null;
      }[]
    > {
      const rows = await run('testbed_consents')
        .where({ organization_id: organizationId, user_seq_no: userSeqNo })
        .orderBy('agreed_at', 'asc');
      return rows.map((r: Record<string, string | null>) => ({
        kind: r.kind!,
        method: r.method!,
        fintechUseNum: r.fintech_use_num ?? null,
        agreedAt: r.agreed_at!,
        expiresAt: r.expires_at ?? null,
        withdrawnAt: r.withdrawn_at ?? null,
      }));
    },

    /**
     * The person's own bank accounts (at any bank) — what the authorize pages offer to register — in one
     * sandbox world: `world` (an organization's id), or without it the person's home world (the template
     * for a global test person, the organization's world for its own people).
     */
    async listPersonalAccounts(
      run: Runner,
      userSeqNo: string,
      world?: string,
    ): Promise<
      { id: string; bankCode: string; accountNum: string; productName: string; status: string; balance: number }[]
    > {
      const q = run('bank_accounts as b').where({ 'b.user_seq_no': userSeqNo, 'b.purpose': 'personal' }).select('b.*');
      if (world !== undefined) q.andWhere('b.world', world);
      else
        q.join('testbed_users as u', 'u.user_seq_no', 'b.user_seq_no').andWhereRaw(
          "b.world = COALESCE(u.organization_id, '')",
        );
      const rows = await q.orderBy('b.created_at', 'asc').orderBy('b.account_num', 'asc');
      return rows.map((r: Record<string, unknown>) => ({
        id: r.id as string,
        bankCode: r.bank_code as string,
        accountNum: r.account_num as string,
        productName: r.product_name as string,
        status: r.status as string,
        balance: Number(r.balance),
      }));
    },
  };
}
