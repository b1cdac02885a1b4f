// /api/v1/sandbox: the organization's test-bed credentials through the credentials service — the
// credential sets (client_id, 이용기관코드), client secrets (created: shown once; revoked) and callback URLs.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { CurrentUser } from '../accounts/types';
import {
  CREDENTIAL_SETS_CURSOR,
  SECRETS_CURSOR,
  type CredentialsService,
  type SecretView,
} from '../credentials/service';
import { apiPageRequest, NextCursor, pageParams } from './list-pages';
import type { TestbedUsersService } from '../testbed/users/service';
import { PEOPLE_CURSOR } from '../testbed/users/service';
import { AppError } from '../http/errors';
import { apiUser } from './authentication';
import { AUTHED_ERRORS, Closed, errors, IdParams } from './schemas';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const SecretJson = Type.Object({
  id: Type.String(),
  hint: Type.String(),
  created_at: Type.String(),
  expires_at: NullableString,
  revoked_at: NullableString,
  active: Type.Boolean(),
});
const SetJson = Type.Object({
  id: Type.String(),
  environment: Type.String({ description: 'sandbox | production' }),
  client_use_code: Type.String({ description: '이용기관코드' }),
  client_id: Type.String(),
  allow_sa: Type.Boolean(),
  status: Type.String({ description: 'active | revoked' }),
  created_at: Type.String(),
  revoked_at: NullableString,
  secrets: Type.Array(SecretJson, {
    description:
      'the active secrets (at most 2), newest first; every secret of the set, revoked and expired ones included: GET /sandbox/credential-sets/{id}/secrets',
  }),
});
const Overview = Type.Object({
  credential_sets: Type.Array(SetJson, {
    description:
      'the active sets (at most one sandbox and one production); every set, revoked ones included: GET /sandbox/credential-sets',
  }),
  callback_urls: Type.Array(Type.Object({ id: Type.String(), url: Type.String(), created_at: Type.String() })),
  contract_accounts: Type.Array(
    Type.Object({
      id: Type.String(),
      purpose: Type.String(),
      bank_code: Type.String(),
      account_num: Type.String(),
      holder_name: Type.String(),
      balance: Type.Integer({ description: 'KRW' }),
      status: Type.String(),
    }),
  ),
});

const Person = Type.Object({
  user_seq_no: Type.String(),
  name: Type.String(),
  login_id: Type.String(),
  birth_date: Type.String(),
  own: Type.Boolean({ description: 'false for the shared (global) test people' }),
  closed: Type.Boolean(),
  accounts: Type.Array(
    Type.Object({
      id: Type.String(),
      bank_code: Type.String(),
      account_num: Type.String(),
      product_name: Type.String(),
      status: Type.String(),
      balance: Type.Integer({ description: 'KRW' }),
    }),
  ),
});

export interface CredentialsApiRoutesOptions {
  credentials: Pick<
    CredentialsService,
    'overview' | 'pageSets' | 'pageSecrets' | 'createSecret' | 'revokeSecret' | 'addCallbackUrl' | 'removeCallbackUrl'
  >;
  testbedUsers: Pick<TestbedUsersService, 'pageForOrganization' | 'personFor' | 'createTestUser' | 'createTestAccount'>;
}

function secretJson(x: SecretView) {
  return {
    id: x.id,
    hint: x.hint,
    created_at: x.createdAt,
    expires_at: x.expiresAt,
    revoked_at: x.revokedAt,
    active: x.active,
  };
}

const credentialsRoutes: FastifyPluginAsyncTypebox<CredentialsApiRoutesOptions> = async (
  app,
  { credentials, testbedUsers },
) => {
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
        id: s.id,
        environment: s.environment,
        client_use_code: s.clientUseCode,
        client_id: s.clientId,
        allow_sa: s.allowSa,
        status: s.status,
        created_at: s.createdAt,
        revoked_at: s.revokedAt,
        secrets: s.secrets.map(secretJson),
      })),
      callback_urls: o.callbackUrls.map((c) => ({ id: c.id, url: c.url, created_at: c.createdAt })),
      contract_accounts: o.contractAccounts.map((a) => ({
        id: a.id,
        purpose: a.purpose,
        bank_code: a.bankCode,
        account_num: a.accountNum,
        holder_name: a.holderName,
        balance: a.balance,
        status: a.status,
      })),
    };
  }

  app.get(
    '/sandbox',
    {
      schema: {
        tags: ['sandbox'],
        summary:
          'Your organization’s test-bed credentials (never a secret, only hints), callback URLs and contract accounts',
        response: { 200: Overview, ...errors(401, 403) },
      },
    },
    async (req) => overview(member(apiUser(req))),
  );

  app.get(
    '/sandbox/credential-sets',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Your organization’s credential sets, newest first, revoked ones included (no secrets); 50 a page',
        querystring: Closed(pageParams('sets')),
        response: {
          200: Type.Object({ credential_sets: Type.Array(Type.Omit(SetJson, ['secrets'])), next: NextCursor }),
          ...errors(401, 403, 422),
        },
      },
    },
    async (req) => {
      const orgId = member(apiUser(req));
      const found = await credentials.pageSets(orgId, apiPageRequest(req.query, CREDENTIAL_SETS_CURSOR));
      return {
        credential_sets: found.rows.map((s) => ({
          id: s.id,
          environment: s.environment,
          client_use_code: s.clientUseCode,
          client_id: s.clientId,
          allow_sa: s.allowSa,
          status: s.status,
          created_at: s.createdAt,
          revoked_at: s.revokedAt,
        })),
        next: found.next,
      };
    },
  );

  app.get(
    '/sandbox/credential-sets/:id/secrets',
    {
      schema: {
        tags: ['sandbox'],
        summary:
          'A credential set’s client secrets, newest first, revoked and expired ones included (hints only); 50 a page',
        params: IdParams,
        querystring: Closed(pageParams('secrets')),
        response: {
          200: Type.Object({ secrets: Type.Array(SecretJson), next: NextCursor }),
          ...errors(401, 403, 404, 422),
        },
      },
    },
    async (req) => {
      const orgId = member(apiUser(req));
      const found = await credentials.pageSecrets(orgId, req.params.id, apiPageRequest(req.query, SECRETS_CURSOR));
      return { secrets: found.rows.map(secretJson), next: found.next };
    },
  );

  app.post(
    '/sandbox/secrets',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Create a client secret for the active sandbox set (shown once)',
        body: Type.Optional(Closed({ expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) })),
        response: {
          201: Type.Object({
            client_secret: Type.String({ description: 'Shown once: store it now' }),
            hint: Type.String(),
            expires_at: NullableString,
          }),
          ...errors(...AUTHED_ERRORS, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      const days = req.body?.expires_in_days;
      const created = await credentials.createSecret(actorOf(user), member(user), {
        expires_in_days: days === undefined ? undefined : String(days),
      });
      return reply
        .code(201)
        .header('Cache-Control', 'no-store')
        .send({ client_secret: created.secret, hint: created.hint, expires_at: created.expiresAt });
    },
  );

  app.delete(
    '/sandbox/secrets/:id',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Revoke a client secret',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      await credentials.revokeSecret(actorOf(user), member(user), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/sandbox/callback-urls',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Register a callback (redirect) URL',
        body: Closed({ url: Type.String({ maxLength: 2000 }) }),
        response: { 201: Overview, ...errors(...AUTHED_ERRORS, 403) },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      const orgId = member(user);
      await credentials.addCallbackUrl(actorOf(user), orgId, req.body);
      return reply.code(201).send(await overview(orgId));
    },
  );

  app.delete(
    '/sandbox/callback-urls/:id',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Remove a callback URL',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      await credentials.removeCallbackUrl(actorOf(user), member(user), req.params.id);
      return reply.code(204).send(null);
    },
  );

  // ---- test-bed people and their bank accounts (the sandbox page's "test people" section)
  type ListedPerson = NonNullable<Awaited<ReturnType<TestbedUsersService['personFor']>>>;
  const personJson = (p: ListedPerson) => ({
    user_seq_no: p.userSeqNo,
    name: p.name,
    login_id: p.loginId,
    birth_date: p.birthDate,
    own: p.own,
    closed: p.closed,
    accounts: p.accounts.map((a) => ({
      id: a.id,
      bank_code: a.bankCode,
      account_num: a.accountNum,
      product_name: a.productName,
      status: a.status,
      balance: a.balance,
    })),
  });

  /** One of the organization's test people as the list shows them (just created or given an account). */
  async function person(orgId: string, userSeqNo: string) {
    const found = await testbedUsers.personFor(orgId, userSeqNo);
    if (!found) throw new AppError('not_found', 'test person');
    return personJson(found);
  }

  app.get(
    '/sandbox/test-users',
    {
      schema: {
        tags: ['sandbox'],
        summary:
          'Test people your sandbox can use with their accounts: your own, newest first, 50 a page, then on the first page the shared ones',
        querystring: Closed(pageParams('own test people')),
        response: { 200: Type.Object({ test_users: Type.Array(Person), next: NextCursor }), ...errors(401, 403, 422) },
      },
    },
    async (req) => {
      const request = apiPageRequest(req.query, PEOPLE_CURSOR);
      const found = await testbedUsers.pageForOrganization(member(apiUser(req)), request);
      const shared = found.own.previous === null ? found.shared : [];
      return { test_users: [...found.own.rows, ...shared].map(personJson), next: found.own.next };
    },
  );

  app.post(
    '/sandbox/test-users',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Create a test person (they sign in to the test bed’s authorization page with login_id and password)',
        body: Closed({
          name: Type.String({ maxLength: 1000 }),
          birth_date: Type.String({ maxLength: 100, description: 'YYYY-MM-DD' }),
          login_id: Type.String({ maxLength: 1000 }),
          password: Type.String({ maxLength: 1000 }),
          phone: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: { 201: Type.Object({ test_user: Person }), ...errors(...AUTHED_ERRORS, 403) },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      const orgId = member(user);
      const created = await testbedUsers.createTestUser(actorOf(user), orgId, req.body);
      return reply.code(201).send({ test_user: await person(orgId, created.userSeqNo) });
    },
  );

  app.post(
    '/sandbox/test-users/:userSeqNo/accounts',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Open a bank account for one of your test people',
        params: Closed({ userSeqNo: Type.String({ pattern: '^[0-9]{1,20}$' }) }),
        body: Closed({
          bank_code: Type.String({ maxLength: 10 }),
          opening_balance: Type.Integer({ minimum: 0, description: 'KRW' }),
          account_num: Type.Optional(Type.String({ maxLength: 40 })),
          product_name: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: {
          201: Type.Object({ account_num: Type.String(), test_user: Person }),
          ...errors(...AUTHED_ERRORS, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      const orgId = member(user);
      const { userSeqNo } = req.params;
      const body = req.body;
      let accountNum: string;
      try {
        ({ accountNum } = await testbedUsers.createTestAccount(actorOf(user), orgId, userSeqNo, {
          bank_code: body.bank_code,
          opening_balance: String(body.opening_balance),
          account_num: body.account_num,
          product_name: body.product_name,
        }));
      } catch (err) {
        // The person is named in the path: not one of yours (or closed) is a 404, like any unknown path id.
        if (err instanceof AppError && err.details.fieldErrors?.some((f) => f.field === 'user_seq_no'))
          throw new AppError('not_found', 'test person');
        throw err;
      }
      return reply.code(201).send({ account_num: accountNum, test_user: await person(orgId, userSeqNo) });
    },
  );
};
export default credentialsRoutes;
