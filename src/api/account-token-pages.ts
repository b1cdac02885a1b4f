// The account page's "API tokens" pages: create (shown once), list with last use, revoke.
// Session + CSRF like every other form; the token itself is rendered on the creating response only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CurrentUser } from '../accounts/types';
import { handleForm } from '../http/forms';
import { mustBeSignedIn } from '../http/guards';
import { AppError } from '../http/errors';
import { translateErrors } from '../http/views';
import { checkSchemasAfterGuards, FormBody, IdParams, PageQuery } from '../http/route-schemas';
import { pageLinks, readPageRequest } from '../pagination/cursor';
import { API_PREFIX } from './api-v1-prefix';
import { TOKENS_CURSOR, type ApiTokensService } from './service';

export interface AccountTokenPagesOptions {
  apiTokens: Pick<ApiTokensService, 'list' | 'issue' | 'revoke'>;
}

const accountTokenPages: FastifyPluginAsyncTypebox<AccountTokenPagesOptions> = async (app, { apiTokens }) => {
  checkSchemasAfterGuards(app);

  /** The page: a page of the tokens (`?after=` / `?before=` on a GET; a form's answer shows the newest). */
  async function tokensPage(user: CurrentUser, query: unknown = {}) {
    // A cursor this list did not issue reads as the first page (src/pagination/cursor.ts).
    const { page } = readPageRequest(query, TOKENS_CURSOR);
    const found = await apiTokens.list(user, page);
    return {
      titleKey: 'api.tokens.title',
      tokens: found.rows,
      ...pageLinks('/account/tokens', {}, found, page),
      openapiUrl: `${API_PREFIX}/openapi.json`,
      values: {},
    };
  }

  app.get(
    '/account/tokens',
    { preHandler: mustBeSignedIn, schema: { querystring: PageQuery(['after', 'before', 'size']) } },
    async (req, reply) => reply.page('api/tokens', await tokensPage(req.user!, req.query)),
  );

  app.post(
    '/account/tokens',
    { preHandler: mustBeSignedIn, schema: { body: FormBody(['name']) } },
    async (req, reply) => {
      const name = req.body.name;
      try {
        const issued = await apiTokens.issue(req.user!, { name: typeof name === 'string' ? name : '' });
        // Shown once, on this response only; never cached.
        return await reply.page(
          'api/tokens',
          { ...(await tokensPage(req.user!)), newToken: issued.token, newTokenName: issued.name },
          201,
        );
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation') {
          return reply.page(
            'api/tokens',
            {
              ...(await tokensPage(req.user!)),
              values: { name },
              errors: translateErrors(req.locale, err.details.fieldErrors ?? []),
            },
            422,
          );
        }
        throw err;
      }
    },
  );

  app.post(
    '/account/tokens/:id/revoke',
    { preHandler: mustBeSignedIn, schema: { params: IdParams, body: FormBody([]) } },
    async (req, reply) =>
      handleForm(
        reply,
        'api/tokens',
        req.body,
        async () => {
          await apiTokens.revoke(req.user!, req.params.id);
          req.session.flash = { kind: 'success', message: reply.t('api.tokens.revoked') };
          return '/account/tokens';
        },
        () => tokensPage(req.user!),
      ),
  );
};
export default accountTokenPages;
