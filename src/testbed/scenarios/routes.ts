// Portal pages for an organization's sandbox ledger (organization members): GET /sandbox/ledger (accounts
// and balances), GET /sandbox/ledger/accounts/:accountId (an account's transaction history, paged), POST /sandbox/ledger/top-up and POST /sandbox/ledger/reset (post/redirect/get). The
// /sandbox page includes views/partials/sandbox-ledger-actions.hbs, which links here.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { mustBeOrgMember } from '../../http/guards';
import { handleForm } from '../../http/forms';
import { checkSchemasAfterGuards, FormBody, PageQuery } from '../../http/route-schemas';
import { HISTORY_CURSOR, MAX_TOP_UP, type SandboxLedgerService } from '../ledger/sandbox-ledger-service';
import { AppError } from '../../http/errors';
import { pageLinks, readPageRequest } from '../../pagination/cursor';

interface SandboxLedgerRoutesOptions {
  sandboxLedger: Pick<SandboxLedgerService, 'listAccounts' | 'accountHistory' | 'topUp' | 'resetOrganization'>;
}

/** An account id as the ledger makes them; anything else names no account (the 404 page, like an unknown one). */
const AccountParams = Type.Object({ accountId: Type.String({ pattern: '^[0-9A-Za-z-]{1,36}$' }) });

const sandboxLedgerRoutes: FastifyPluginAsyncTypebox<SandboxLedgerRoutesOptions> = async (app, { sandboxLedger }) => {
  checkSchemasAfterGuards(app);
  const member = { preHandler: mustBeOrgMember };
  const actorOf = (req: FastifyRequest) => ({ userId: req.user!.id, label: req.user!.email });

  async function pageData(req: FastifyRequest) {
    const accounts = await sandboxLedger.listAccounts(req.user!.organizationId!);
    return { titleKey: 'testbed.ledger.title', accounts, maxTopUp: MAX_TOP_UP, values: {} };
  }

  app.get('/sandbox/ledger', member, async (req, reply) =>
    reply.page('testbed-docs/sandbox-ledger', await pageData(req)),
  );

  // An account's transaction history, newest first, a bounded page at a time (src/pagination/cursor.ts; a
  // cursor this page did not give out reads as the first page). Another organization's account is a 404.
  app.get(
    '/sandbox/ledger/accounts/:accountId',
    { ...member, schema: { params: AccountParams, querystring: PageQuery(['after', 'before', 'size']) } },
    async (req, reply) => {
      const { accountId } = req.params;
      const { page } = readPageRequest(req.query, HISTORY_CURSOR);
      const found = await sandboxLedger.accountHistory(req.user!.organizationId!, accountId, page);
      if (!found) throw new AppError('not_found', 'no such account');
      return reply.page('testbed-docs/sandbox-ledger-account', {
        titleKey: 'testbed.ledger.history_title',
        titleParams: { account: `${found.account.bankCode} ${found.account.accountNum}` },
        account: found.account,
        postings: found.rows.map((p) => ({
          ...p,
          at: `${p.tranDate.slice(0, 4)}-${p.tranDate.slice(4, 6)}-${p.tranDate.slice(6, 8)} ${p.tranTime.slice(0, 2)}:${p.tranTime.slice(2, 4)}:${p.tranTime.slice(4, 6)}`,
          deposit: p.amount > 0 ? p.amount : null,
          withdrawal: p.amount < 0 ? -p.amount : null,
        })),
        ...pageLinks(`/sandbox/ledger/accounts/${accountId}`, {}, found, page),
      });
    },
  );

  app.post(
    '/sandbox/ledger/top-up',
    { ...member, schema: { body: FormBody(['account_id', 'amount']) } },
    async (req, reply) =>
      handleForm(
        reply,
        'testbed-docs/sandbox-ledger',
        req.body,
        async () => {
          const { account, amount } = await sandboxLedger.topUp(actorOf(req), req.user!.organizationId!, {
            account_id: req.body.account_id,
            amount: req.body.amount,
          });
          req.session.flash = {
            kind: 'success',
            message: reply.t('testbed.ledger.topped_up', {
              account: `${account.bankCode} ${account.accountNum}`,
              amount: amount.toLocaleString('ko-KR'),
            }),
          };
          return '/sandbox/ledger';
        },
        () => pageData(req),
      ),
  );

  app.post('/sandbox/ledger/reset', { ...member, schema: { body: FormBody([]) } }, async (req, reply) => {
    const count = await sandboxLedger.resetOrganization(actorOf(req), req.user!.organizationId!);
    req.session.flash = { kind: 'success', message: reply.t('testbed.ledger.reset_done', { count }) };
    return reply.redirect('/sandbox/ledger', 303);
  });
};

export default sandboxLedgerRoutes;
