// POST /testbed/sandbox/authorize — a test-bed shortcut outside the KFTC paths, for automated tests of a
// fintech's own code: with the client's credentials, a user_seq_no, scope and registered redirect_uri it
// answers {"code": "…"} as if the user had completed the authorize pages, registering all of the user's
// active accounts with both consents. Errors use the KFTC O-codes of the token endpoint.
import type { FastifyPluginAsync } from 'fastify';
import type { TestbedRouteOptions } from '../route-options';
import { KftcError, authParamError } from '../common/kftc-error';
import { testbedContext } from '../common/request-context';
import { reportUnknownFields } from '../common/request-fields';
import { parseUserScope, scopeString } from './scopes';
import { required, requiredExact, tokenParameters } from './token-parameters';
import { documented, sandboxAuthorizeSchema } from '../services/openapi';

const KNOWN = new Set(['client_id', 'client_secret', 'user_seq_no', 'scope', 'redirect_uri']);

const sandboxShortcutRoutes: FastifyPluginAsync<TestbedRouteOptions> = async (app, { services, clock }) => {
  const { credentials, oauth, testbedUsers: users } = services;

  app.post(
    '/testbed/sandbox/authorize',
    { config: { csrf: false, testbedToken: true }, ...documented(sandboxAuthorizeSchema) },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      const p = tokenParameters(req.body, req.query);
      reportUnknownFields(req, reply, p, KNOWN);
      const set = await credentials.authenticateClient(
        required(p, 'client_id', 100),
        required(p, 'client_secret', 200),
      );
      const ctx = testbedContext(req);
      ctx.organizationId = set.organizationId;
      ctx.clientUseCode = set.clientUseCode;
      const userSeqNo = required(p, 'user_seq_no', 10);
      const scope = parseUserScope(required(p, 'scope', 100));
      if (!scope.ok)
        throw scope.problem === 'empty' || scope.problem === 'institution_scope'
          ? authParamError('3000103')
          : authParamError('3000115');
      const redirectUri = requiredExact(p, 'redirect_uri', 500);
      const user = /^\d{10}$/.test(userSeqNo) ? await users.findUser(userSeqNo) : undefined;
      if (!user || (user.organizationId !== null && user.organizationId !== set.organizationId))
        throw new KftcError('A0337', '해당 사용자 없음');
      if (user.closedAt) throw new KftcError('A0014', '탈퇴 회원');
      const wantsAccounts = scope.scopes.includes('inquiry') || scope.scopes.includes('transfer');
      const code = await oauth.shortcutAuthorize(set, {
        userSeqNo,
        scopes: scope.scopes,
        redirectUri,
        registerAccounts: async (trx) => {
          const accounts = wantsAccounts
            ? (await users.listPersonalAccounts(userSeqNo, trx)).filter((a) => a.status === 'active').map((a) => a.id)
            : [];
          await users.registerAccounts(trx, {
            organizationId: set.organizationId,
            clientUseCode: set.clientUseCode,
            userSeqNo,
            bankAccountIds: accounts,
            inquiry: wantsAccounts,
            transfer: wantsAccounts,
            transferMethod: 'ars',
            at: clock(),
          });
        },
      });
      return { code, scope: scopeString(scope.scopes), user_seq_no: userSeqNo };
    },
  );
};

export default sandboxShortcutRoutes;
