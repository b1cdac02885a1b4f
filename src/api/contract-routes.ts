// /api/v1/applications/:id/contract, …/signature, …/countersignature: stage 5 through the contract service.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { CurrentUser } from '../accounts/types';
import {
  CONTRACT_VERSIONS_CURSOR,
  type ContractService,
  type ContractView as ContractViewModel,
} from '../contract/service';
import { PAGE_SIZE_DEFAULT, type PageRequest } from '../pagination/cursor';
import { apiUser } from './authentication';
import { apiPageRequest, NextCursor, pageParams } from './list-pages';
import { AUTHED_ERRORS, Closed, errors, IdParams } from './schemas';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const AnyObject = Type.Object({}, { additionalProperties: true });
const ContractJson = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  terms_version: Type.String(),
  status: Type.String({ description: 'signed | countersigned | returned' }),
  document: Type.Object(
    {},
    { additionalProperties: true, description: 'The contract exactly as signed (its SHA-256 is document_sha256)' },
  ),
  document_sha256: Type.String(),
  signer_name: Type.String(),
  signed_at: Type.String(),
  countersigner_name: NullableString,
  countersigned_at: NullableString,
  effective_date: NullableString,
  returned_at: NullableString,
  returned_reason: NullableString,
  signer_ip: Type.Optional(Type.String({ description: 'Staff only' })),
  countersigner_ip: Type.Optional(NullableString),
});

type ContractRecord = ContractViewModel['history'][number];

function contractJson(c: ContractRecord, user: CurrentUser) {
  return {
    id: c.id,
    version: c.version,
    terms_version: c.termsVersion,
    status: c.status,
    document: c.document as unknown as Record<string, unknown>,
    document_sha256: c.documentSha256,
    signer_name: c.signerName,
    signed_at: c.signedAt,
    countersigner_name: c.countersignerName,
    countersigned_at: c.countersignedAt,
    effective_date: c.effectiveDate,
    returned_at: c.returnedAt,
    returned_reason: c.returnedReason,
    ...(user.staffRole ? { signer_ip: c.signerIp, countersigner_ip: c.countersignerIp } : {}),
  };
}

export interface ContractRoutesOptions {
  contract: Pick<ContractService, 'view' | 'sign' | 'countersign'>;
}

const contractRoutes: FastifyPluginAsyncTypebox<ContractRoutesOptions> = async (app, { contract }) => {
  /** The contract with one page of its versions (`?after=&size=` on the GET; the first 50 after a signature). */
  async function contractView(user: CurrentUser, id: string, versions: PageRequest = { size: PAGE_SIZE_DEFAULT }) {
    const v = await contract.view(user, id, versions);
    return {
      state: `${v.application.stage}:${v.application.status}`,
      document: (v.document ?? null) as Record<string, unknown> | null,
      is_draft: v.isDraft,
      current: v.current ? contractJson(v.current, user) : null,
      history: v.history.map((c) => contractJson(c, user)),
      history_next: v.historyNext,
      can_sign: v.canSign,
      can_countersign: v.canCountersign,
      four_eyes_violation: v.fourEyes,
    };
  }
  const ContractView = Type.Object({
    state: Type.String(),
    document: Type.Union([AnyObject, Type.Null()], { description: 'The document to sign (draft) or as signed' }),
    is_draft: Type.Boolean(),
    current: Type.Union([ContractJson, Type.Null()]),
    history: Type.Array(ContractJson, { description: 'The signed versions, newest first, a page at a time' }),
    history_next: NextCursor,
    can_sign: Type.Boolean(),
    can_countersign: Type.Boolean(),
    four_eyes_violation: Type.Union([Type.String(), Type.Null()], {
      description: 'Why you may not countersign: approved_suitability | signed_contract',
    }),
  });

  app.get(
    '/applications/:id/contract',
    {
      schema: {
        tags: ['contract'],
        summary:
          'The contract: the document to sign, or the signed versions (history: newest first, 50 a page, `history_next`)',
        params: IdParams,
        querystring: Closed(pageParams('versions')),
        response: { 200: ContractView, ...errors(401, 404, 422) },
      },
    },
    async (req) => contractView(apiUser(req), req.params.id, apiPageRequest(req.query, CONTRACT_VERSIONS_CURSOR)),
  );

  app.post(
    '/applications/:id/signature',
    {
      schema: {
        tags: ['contract'],
        summary: 'Sign the contract (organization owner): your full name as on your account, and accept: true',
        params: IdParams,
        body: Closed({
          full_name: Type.String({ maxLength: 1000 }),
          accept: Type.Boolean({ description: 'true: I accept the contract' }),
        }),
        response: { 201: ContractView, ...errors(...AUTHED_ERRORS, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const user = apiUser(req);
      const { id } = req.params;
      const body = req.body;
      await contract.sign(user, id, { full_name: body.full_name, accept: body.accept === true ? 'yes' : '' }, req.ip);
      return reply.code(201).send(await contractView(user, id));
    },
  );

  app.post(
    '/applications/:id/countersignature',
    {
      schema: {
        tags: ['contract'],
        summary:
          'Countersign the signed contract (contract officer who neither approved suitability nor signed); the application goes live',
        params: IdParams,
        body: Closed({ note: Type.String({ maxLength: 10_000, description: 'A note for the record (required)' }) }),
        response: { 200: ContractView, ...errors(...AUTHED_ERRORS, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = apiUser(req);
      const { id } = req.params;
      await contract.countersign(user, id, req.body, req.ip);
      return contractView(user, id);
    },
  );
};
export default contractRoutes;
