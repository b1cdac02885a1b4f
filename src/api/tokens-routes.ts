// /api/v1/tokens and /api/v1/signup: getting a token, listing and revoking your tokens.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../http/errors';
import { translate } from '../i18n';
import { apiUser } from './authentication';
import { SignInThrottled } from '../accounts/service';
import { logSignInRefusal } from '../accounts/sign-in-refusal-log';
import { AUTHED_ERRORS, Closed, errors, Id, IdParams, NullableTimestamp, Timestamp } from './schemas';
import { apiPageRequest, NextCursor, pageParams } from './list-pages';
import { TOKENS_CURSOR, type ApiTokensService } from './service';
import type { ApiTokenSummary } from './types';

const TokenSummary = Type.Object({
  id: Id,
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters, to tell tokens apart' }),
  created_at: Timestamp,
  last_used_at: NullableTimestamp,
  revoked_at: NullableTimestamp,
});
const Issued = Type.Object({
  token: Type.String({ description: 'Shown once: store it now. Send it as Authorization: Bearer <token>.' }),
  id: Id,
  name: Type.String(),
  prefix: Type.String(),
  created_at: Timestamp,
});

function presentToken(t: ApiTokenSummary) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    created_at: t.createdAt,
    last_used_at: t.lastUsedAt,
    revoked_at: t.revokedAt,
  };
}

export interface TokensRoutesOptions {
  apiTokens: Pick<ApiTokensService, 'issueForCredentials' | 'signup' | 'confirmSignup' | 'list' | 'revoke'>;
}

const tokensRoutes: FastifyPluginAsyncTypebox<TokensRoutesOptions> = async (app, { apiTokens }) => {
  app.post(
    '/tokens',
    {
      config: { publicApi: true },
      schema: {
        tags: ['tokens'],
        summary: 'Get a personal access token with your e-mail and password',
        security: [],
        description:
          'Sign-in throttling applies to the client that fails: after 3 failures for an address from one IP, each further attempt from that IP waits a doubling delay (1 s … 15 min), and 20 failures from one IP within 15 minutes refuse that IP for 15 minutes; the answer is then 429 with Retry-After. Other clients are never refused the right password.',
        body: Closed({
          email: Type.String({ maxLength: 254 }),
          password: Type.String({ maxLength: 1000 }),
          name: Type.Optional(Type.String({ maxLength: 100, description: 'A label for the token, e.g. "CI"' })),
        }),
        response: { 201: Issued, ...errors(400, 401, 415, 422, 429) },
      },
    },
    async (req, reply) => {
      try {
        const issued = await apiTokens.issueForCredentials(req.body, req.ip);
        return reply.code(201).header('Cache-Control', 'no-store').send({
          token: issued.token,
          id: issued.id,
          name: issued.name,
          prefix: issued.prefix,
          created_at: issued.createdAt,
        });
      } catch (err) {
        logSignInRefusal(req, err);
        if (err instanceof SignInThrottled) reply.header('Retry-After', String(err.retryAfterSeconds));
        // Wrong e-mail or password: 401 with the sign-in page's message (the same for an unknown address).
        if (
          err instanceof AppError &&
          err.code === 'validation' &&
          err.details.fieldErrors?.some((f) => f.message === 'accounts.errors.bad_credentials')
        ) {
          reply.header('WWW-Authenticate', 'Bearer realm="api"');
          throw new AppError('unauthenticated', translate(req.locale, 'accounts.errors.bad_credentials'));
        }
        if (err instanceof AppError && err.code === 'rate_limited')
          throw new AppError('rate_limited', translate(req.locale, err.message));
        throw err;
      }
    },
  );

  app.post(
    '/signup',
    {
      config: { publicApi: true },
      schema: {
        tags: ['tokens'],
        summary: 'Start a sign-up: a confirmation link is e-mailed to the address',
        security: [],
        description:
          'Answers 202 the same way whether or not the address is registered (so the answer never tells): a new address ' +
          'is sent a one-time confirmation link (valid 24 hours) whose last path segment is the token for POST /api/v1/signup/confirm; ' +
          "a registered address's owner is sent a reminder that they already have an account.",
        body: Closed({
          email: Type.String({ maxLength: 254 }),
          password: Type.String({ maxLength: 1000 }),
          name: Type.String({ maxLength: 200 }),
          organization_name: Type.String({ maxLength: 400 }),
        }),
        response: {
          202: Type.Object({ status: Type.Literal('confirmation_sent'), message: Type.String() }),
          ...errors(400, 415, 422),
        },
      },
    },
    async (req, reply) => {
      await apiTokens.signup(req.body, req.locale);
      return reply
        .code(202)
        .send({ status: 'confirmation_sent', message: translate(req.locale, 'accounts.signup.sent_lead') });
    },
  );

  app.post(
    '/signup/confirm',
    {
      config: { publicApi: true },
      schema: {
        tags: ['tokens'],
        summary: 'Finish a sign-up with the token from the confirmation e-mail; answers with a first API token',
        security: [],
        body: Closed({
          token: Type.String({
            minLength: 1,
            maxLength: 100,
            description: 'The last path segment of the e-mailed link',
          }),
        }),
        response: {
          201: Type.Object({
            token: Type.String({ description: 'Shown once' }),
            user: Type.Object({
              id: Id,
              email: Type.String(),
              name: Type.String(),
              organization_id: Id,
              organization_name: Type.String(),
            }),
          }),
          ...errors(400, 404, 415, 422),
        },
      },
    },
    async (req, reply) => {
      const { user, issued } = await apiTokens.confirmSignup(req.body.token);
      return reply
        .code(201)
        .header('Cache-Control', 'no-store')
        .send({
          token: issued.token,
          user: {
            id: user.id,
            email: user.email,
            name: user.name,
            // A confirmed sign-up always created the organization (the schema says so).
            organization_id: user.organizationId ?? '',
            organization_name: user.organizationName ?? '',
          },
        });
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Who the token acts as',
        response: {
          200: Type.Object({
            user: Type.Object({
              id: Id,
              email: Type.String(),
              name: Type.String(),
              staff_role: Type.Union([Type.String(), Type.Null()], {
                description: 'reviewer | inspector | contract_officer | admin, or null for applicants',
              }),
              organization_id: Type.Union([Id, Type.Null()]),
              organization_name: Type.Union([Type.String(), Type.Null()]),
              organization_role: Type.Union([Type.String(), Type.Null()], { description: 'owner | member' }),
            }),
          }),
          ...errors(401),
        },
      },
    },
    async (req) => {
      const u = apiUser(req);
      return {
        user: {
          id: u.id,
          email: u.email,
          name: u.name,
          staff_role: u.staffRole,
          organization_id: u.organizationId,
          organization_name: u.organizationName,
          organization_role: u.orgRole,
        },
      };
    },
  );

  app.get(
    '/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Your tokens, newest first, revoked ones included (never the tokens themselves); 50 a page',
        querystring: Closed(pageParams('tokens')),
        response: {
          200: Type.Object({
            tokens: Type.Array(TokenSummary),
            next: NextCursor,
          }),
          ...errors(401, 422),
        },
      },
    },
    async (req) => {
      const found = await apiTokens.list(apiUser(req), apiPageRequest(req.query, TOKENS_CURSOR));
      return { tokens: found.rows.map(presentToken), next: found.next };
    },
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke one of your tokens (it stops working at once)',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Revoked' }), ...errors(...AUTHED_ERRORS, 404) },
      },
    },
    async (req, reply) => {
      await apiTokens.revoke(apiUser(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
export default tokensRoutes;
