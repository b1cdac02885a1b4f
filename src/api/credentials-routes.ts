// /api/v1/sandbox: the organization's test-bed credentials through the credentials service — the
// credential sets (client_id, 이용기관코드), client secrets (created: shown once; revoked) and callback URLs.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Services } from '../services';
import type { CurrentUser } from '../accounts/types';
import { AppError } from '../http/errors';
import { apiUser } from './authentication';
import { AUTHED_ERRORS, Closed, errors, IdParams } from './schemas';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const SecretJson = Type.Object({ id: Type.String(), hint: Type.String(), created_at: Type.String(), expires_at: NullableString, revoked_at: NullableString, active: Type.Boolean() });
const SetJson = Type.Object({
  id: Type.String(), environment: Type.String({ description: 'sandbox | production' }), client_use_code: Type.String({ description: '이용기관코드' }),
  client_id: Type.String(), allow_sa: Type.Boolean(), status: Type.String({ description: 'active | revoked' }), created_at: Type.String(), revoked_at: NullableString,
  secrets: Type.Array(SecretJson),
});
const Overview = Type.Object({
  credential_sets: Type.Array(SetJson),
  callback_urls: Type.Array(Type.Object({ id: Type.String(), url: Type.String(), created_at: Type.String() })),
  contract_accounts: Type.Array(Type.Object({ id: Type.String(), purpose: Type.String(), bank_code: Type.String(), account_num: Type.String(), holder_name: Type.String(), balance: Type.Integer({ description: 'KRW' }), status: Type.String() })),
});

const credentialsRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const { credentials } = services;
  const actorOf = (u: CurrentUser) => ({ userId: u.id, label: u.email });
  /** The sandbox belongs to an organization: its members use it, staff have no sandbox of their own (403). */
  const member = (u: CurrentUser): string => {
    if (!u.organizationId || u.staffRole) throw new AppError('forbidden', 'organization members only');
    return u.organizationId;
  };

  async function overview(orgId: string) {
    const o = await credentials.overview(orgId);
    return {
      credential_sets: o.sets.map((s) => ({
        id: s.id, environment: s.environment, client_use_code: s.clientUseCode, client_id: s.clientId, allow_sa: s.allowSa, status: s.status,
        created_at: s.createdAt, revoked_at: s.revokedAt,
        secrets: s.secrets.map((x) => ({ id: x.id, hint: x.hint, created_at: x.createdAt, expires_at: x.expiresAt, revoked_at: x.revokedAt, active: x.active })),
      })),
      callback_urls: o.callbackUrls.map((c) => ({ id: c.id, url: c.url, created_at: c.createdAt })),
      contract_accounts: o.contractAccounts.map((a) => ({ id: a.id, purpose: a.purpose, bank_code: a.bankCode, account_num: a.accountNum, holder_name: a.holderName, balance: a.balance, status: a.status })),
    };
  }

  app.get('/sandbox', {
    schema: { tags: ['sandbox'], summary: 'Your organization’s test-bed credentials (never a secret, only hints), callback URLs and contract accounts', response: { 200: Overview, ...errors(401, 403) } },
  }, async (req) => overview(member(apiUser(req))));

  app.post('/sandbox/secrets', {
    schema: {
      tags: ['sandbox'], summary: 'Create a client secret for the active sandbox set (shown once)',
      body: Type.Optional(Closed({ expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) })),
      response: { 201: Type.Object({ client_secret: Type.String({ description: 'Shown once: store it now' }), hint: Type.String(), expires_at: NullableString }), ...errors(...AUTHED_ERRORS, 403, 404) },
    },
  }, async (req, reply) => {
    const user = apiUser(req);
    const days = (req.body as { expires_in_days?: number } | undefined)?.expires_in_days;
    const created = await credentials.createSecret(actorOf(user), member(user), { expires_in_days: days === undefined ? undefined : String(days) });
    return reply.code(201).header('Cache-Control', 'no-store').send({ client_secret: created.secret, hint: created.hint, expires_at: created.expiresAt });
  });

  app.delete('/sandbox/secrets/:id', {
    schema: { tags: ['sandbox'], summary: 'Revoke a client secret', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
  }, async (req, reply) => {
    const user = apiUser(req);
    await credentials.revokeSecret(actorOf(user), member(user), (req.params as { id: string }).id);
    return reply.code(204).send();
  });

  app.post('/sandbox/callback-urls', {
    schema: {
      tags: ['sandbox'], summary: 'Register a callback (redirect) URL', body: Closed({ url: Type.String({ maxLength: 2000 }) }),
      response: { 201: Overview, ...errors(...AUTHED_ERRORS, 403) },
    },
  }, async (req, reply) => {
    const user = apiUser(req);
    const orgId = member(user);
    await credentials.addCallbackUrl(actorOf(user), orgId, req.body as { url: string });
    return reply.code(201).send(await overview(orgId));
  });

  app.delete('/sandbox/callback-urls/:id', {
    schema: { tags: ['sandbox'], summary: 'Remove a callback URL', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
  }, async (req, reply) => {
    const user = apiUser(req);
    await credentials.removeCallbackUrl(actorOf(user), member(user), (req.params as { id: string }).id);
    return reply.code(204).send();
  });
};
export default credentialsRoutes;
