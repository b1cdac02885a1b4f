// Management APIs (user/me, user/unlink, user/close, account/list, account/update_info, account/cancel):
// the rules that connect a caller (token) to a test person and to registered accounts. Every call works
// in the caller's sandbox world (made sure of first): another organization's fintech_use_num is unknown.
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { AuditService } from '../../audit/service';
import type { TestbedCaller, TokenCache } from '../common/token-guard';
import {
  FintechUseNumUnknown,
  InquiryConsentMissing,
  NotTheTokensUser,
  RegistrationCancelled,
  TransferConsentMissing,
  UserClosed,
  UserNotFound,
} from '../common/kftc-refusals';
import { formatError } from '../common/request-fields';
import { claimBankTranId } from '../common/bank-tran-id';
import type { TestbedUsersService, TestbedUser, FintechAccount, RegisteredAccount } from '../users/service';
import { findFintechAccount } from '../users/service';
import { createTestbedUsersRepository } from '../users/repository';
import type { OAuthService } from '../oauth/service';

export function createManagementService(deps: {
  db: Knex;
  clock: Clock;
  audit: AuditService;
  users: TestbedUsersService;
  oauth: OAuthService;
  /** Told after user/unlink and user/close commit (they revoke tokens). */
  tokenCache: TokenCache;
}) {
  const { db, clock, users } = deps;
  // The users module's tables, read and written here in the caller's transaction (the repository holds no state).
  const repo = createTestbedUsersRepository();

  /** The person the call is about, as seen by the caller's organization. */
  async function personFor(
    caller: TestbedCaller,
    userSeqNo: string,
    run: Knex | Knex.Transaction = db,
  ): Promise<TestbedUser> {
    if (!/^\d{10}$/.test(userSeqNo)) throw formatError('user_seq_no', '10자리 숫자');
    if (caller.kind === 'user' && caller.userSeqNo !== userSeqNo) throw new NotTheTokensUser();
    const found = await repo.findUserWithLink(run, caller.organizationId, userSeqNo);
    const user = found?.user;
    if (!user || (user.organizationId !== null && user.organizationId !== caller.organizationId))
      throw new UserNotFound();
    const link = found.link;
    if (user.closedAt || link?.closedAt) throw new UserClosed();
    if (!link) throw new UserNotFound();
    return user;
  }

  /** A registration of the caller's organization (and user, for user tokens) that is still in use. */
  async function ownFintech(
    caller: TestbedCaller,
    fintechUseNum: string,
    run: Knex | Knex.Transaction,
  ): Promise<FintechAccount> {
    const f = await findFintechAccount(run, fintechUseNum);
    // Another organization's number belongs to its sandbox world: unknown here, like one never issued.
    if (!f || f.organizationId !== caller.organizationId) throw new FintechUseNumUnknown();
    if (caller.kind === 'user' && f.userSeqNo !== caller.userSeqNo) throw new NotTheTokensUser();
    if (f.state !== '01') throw new RegistrationCancelled();
    return f;
  }

  return {
    personFor,

    async me(caller: TestbedCaller, userSeqNo: string): Promise<{ user: TestbedUser; accounts: RegisteredAccount[] }> {
      await users.ensureWorld(caller.organizationId);
      const user = await personFor(caller, userSeqNo);
      const accounts = await repo.listRegistered(db, caller.organizationId, userSeqNo, {
        includeCancelled: false,
        order: 'asc',
      });
      return { user, accounts };
    },

    async list(
      caller: TestbedCaller,
      userSeqNo: string,
      opts: { includeCancelled: boolean; order: 'asc' | 'desc' },
    ): Promise<{ user: TestbedUser; accounts: RegisteredAccount[] }> {
      await users.ensureWorld(caller.organizationId);
      const user = await personFor(caller, userSeqNo);
      const accounts = await repo.listRegistered(db, caller.organizationId, userSeqNo, opts);
      return { user, accounts };
    },

    async updateAlias(caller: TestbedCaller, fintechUseNum: string, alias: string): Promise<FintechAccount> {
      await users.ensureWorld(caller.organizationId);
      return db.transaction(async (trx) => {
        const f = await ownFintech(caller, fintechUseNum, trx);
        await repo.updateFintechAccount(trx, f.fintechUseNum, {
          account_alias: alias,
          updated_at: clock().toISOString(),
        });
        return { ...f, accountAlias: alias };
      });
    },

    /** Cancels the inquiry or the transfer service of a registration; both cancelled → state 09. */
    async cancel(
      caller: TestbedCaller,
      input: { bankTranId: string; scope: 'inquiry' | 'transfer'; fintechUseNum: string },
    ): Promise<{ bankCode: string; at: Date }> {
      await users.ensureWorld(caller.organizationId);
      const at = clock();
      return db.transaction(async (trx) => {
        await claimBankTranId(trx, {
          organizationId: caller.organizationId,
          clientUseCode: caller.clientUseCode,
          bankTranId: input.bankTranId,
          date: at,
        });
        const f = await ownFintech(caller, input.fintechUseNum, trx);
        const account = await trx('bank_accounts').where({ id: f.bankAccountId }).first('bank_code');
        if (input.scope === 'inquiry' && f.inquiryAgreeYn !== 'Y') throw new InquiryConsentMissing();
        if (input.scope === 'transfer' && f.transferAgreeYn !== 'Y') throw new TransferConsentMissing();
        const otherStillAgreed = input.scope === 'inquiry' ? f.transferAgreeYn === 'Y' : f.inquiryAgreeYn === 'Y';
        const iso = at.toISOString();
        await repo.updateFintechAccount(trx, f.fintechUseNum, {
          ...(input.scope === 'inquiry' ? { inquiry_agree_yn: 'N' } : { transfer_agree_yn: 'N' }),
          state: otherStillAgreed ? '01' : '09',
          updated_at: iso,
        });
        await repo.withdrawConsents(
          trx,
          {
            organizationId: caller.organizationId,
            userSeqNo: f.userSeqNo,
            fintechUseNum: f.fintechUseNum,
            kind: input.scope,
          },
          iso,
        );
        return { bankCode: (account?.bank_code as string | undefined) ?? '097', at };
      });
    },

    /** user/unlink: the login connection ends; tokens carrying `login` stop working; accounts stay registered. */
    async unlink(caller: TestbedCaller, userSeqNo: string): Promise<void> {
      await users.ensureWorld(caller.organizationId);
      await db.transaction(async (trx) => {
        await personFor(caller, userSeqNo, trx);
        const iso = clock().toISOString();
        await repo.endLink(trx, caller.organizationId, userSeqNo, 'unlinked_at', iso);
        await repo.withdrawConsents(trx, { organizationId: caller.organizationId, userSeqNo, kind: 'login' }, iso);
        await deps.oauth.revokeUserTokens(trx, caller.organizationId, userSeqNo, 'login');
      });
      deps.tokenCache.forgetCachedTokens();
    },

    /** user/close: the user leaves the organization's service: every registration cancelled, every token revoked. */
    async close(caller: TestbedCaller, userSeqNo: string): Promise<void> {
      await users.ensureWorld(caller.organizationId);
      await db.transaction(async (trx) => {
        await personFor(caller, userSeqNo, trx);
        const iso = clock().toISOString();
        await repo.cancelAllForUser(trx, caller.organizationId, userSeqNo, iso);
        await repo.withdrawConsents(trx, { organizationId: caller.organizationId, userSeqNo }, iso);
        await repo.endLink(trx, caller.organizationId, userSeqNo, 'closed_at', iso);
        await deps.oauth.revokeUserTokens(trx, caller.organizationId, userSeqNo);
      });
      deps.tokenCache.forgetCachedTokens();
    },
  };
}
