// Portal pages for an organization's sandbox ledger (organization members): GET /sandbox/ledger (accounts
// and balances), GET /sandbox/ledger/accounts/:accountId (an account's transaction history, paged), POST /sandbox/ledger/top-up and POST /sandbox/ledger/reset (post/redirect/get). The
// /sandbox page includes views/partials/sandbox-ledger-actions.hbs, which links here.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services';
import { mustBeOrgMember } from '../../http/guards';
import { handleForm } from '../../http/forms';
import { HISTORY_CURSOR, MAX_TOP_UP } from '../ledger/sandbox-ledger-service';
import { AppError } from '../../http/errors';
import { pageLinks, readPageRequest } from '../../pagination/cursor';

const sandboxLedgerRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const member = { preHandler: mustBeOrgMember };
  const actorOf = (req: FastifyRequest) => ({ userId: req.user!.id, label: req.user!.email });

  async function pageData(req: FastifyRequest) {
    const accounts = await services.sandboxLedger.listAccounts(req.user!.organizationId!);
    return { titleKey: 'testbed.ledger.title', accounts, maxTopUp: MAX_TOP_UP, values: {} };
  }

  app.get('/sandbox/ledger', member, async (req, reply: FastifyReply) =>
    reply.page('testbed-docs/sandbox-ledger', await pageData(req)),
  );

  // An account's transaction history, newest first, a bounded page at a time (src/pagination/cursor.ts; a
  // cursor this page did not give out reads as the first page). Another organization's account is a 404.
  app.get('/sandbox/ledger/accounts/:accountId', member, async (req, reply) => {
    const accountId = (req.params as { accountId: string }).accountId;
    const { page } = readPageRequest(req.query, HISTORY_CURSOR);
    const found = /^[0-9A-Za-z-]{1,36}$/.test(accountId)
      ? await services.sandboxLedger.accountHistory(req.user!.organizationId!, accountId, page)
      : undefined;
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
  });

  app.post('/sandbox/ledger/top-up', member, async (req, reply) =>
    handleForm(
      reply,
      'testbed-docs/sandbox-ledger',
      req.body,
      async () => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const { account, amount } = await services.sandboxLedger.topUp(actorOf(req), req.user!.organizationId!, {
          account_id: body.account_id,
          amount: body.amount,
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

  app.post('/sandbox/ledger/reset', member, async (req, reply) => {
    const count = await services.sandboxLedger.resetOrganization(actorOf(req), req.user!.organizationId!);
    req.session.flash = { kind: 'success', message: reply.t('testbed.ledger.reset_done', { count }) };
    return reply.redirect('/sandbox/ledger', 303);
  });
};

export default sandboxLedgerRoutes;
