// Portal pages for an organization's sandbox ledger (organization members): GET /sandbox/ledger (accounts
// and balances), POST /sandbox/ledger/top-up and POST /sandbox/ledger/reset (post/redirect/get). The
// /sandbox page includes views/partials/sandbox-ledger-actions.hbs, which links here.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services';
import { mustBeOrgMember } from '../../http/guards';
import { handleForm } from '../../http/forms';
import { MAX_TOP_UP } from '../ledger/sandbox-ledger-service';

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
