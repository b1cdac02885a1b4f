// Knex queries for credential sets, client secrets, 이용기관코드 counters and callback URLs.
import type { Runner } from '../db/knex';
import type { Page, PageRequest } from '../pagination/cursor';
import { keysetPage, type KeysetOrder } from '../pagination/keyset';

/** Secrets and organizations are paged newest first by (created_at, id) (indexes client_secrets_set_page, organizations_page). */
const NEWEST_FIRST: KeysetOrder<{ created_at: string; id: string }> = {
  columns: ['created_at', 'id'],
  direction: 'desc',
  keyOf: (r) => [r.created_at, r.id],
};
/** The cursor shape of the secrets and organizations lists. */
export const NEWEST_FIRST_CURSOR = ['string', 'string'] as const;

export type Environment = 'sandbox' | 'production';

export interface CredentialSet {
  id: string;
  organizationId: string;
  applicationId: string | null;
  environment: Environment;
  clientUseCode: string;
  clientId: string;
  allowSa: boolean;
  status: 'active' | 'revoked';
  createdAt: string;
  revokedAt: string | null;
  /** Set by authenticateClient only: the secret that authenticated this request (recorded on the tokens it mints). */
  clientSecretId?: string | null;
}

export interface ClientSecretRecord {
  id: string;
  credentialSetId: string;
  secretHash: string;
  hint: string;
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}

interface SetRow {
  id: string;
  organization_id: string;
  application_id: string | null;
  environment: string;
  client_use_code: string;
  client_id: string;
  allow_sa: boolean | number;
  status: string;
  created_at: string;
  revoked_at: string | null;
}
interface SecretRow {
  id: string;
  credential_set_id: string;
  secret_hash: string;
  hint: string;
  expires_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

function setFromRow(r: SetRow): CredentialSet {
  return {
    id: r.id,
    organizationId: r.organization_id,
    applicationId: r.application_id,
    environment: r.environment === 'production' ? 'production' : 'sandbox',
    clientUseCode: r.client_use_code,
    clientId: r.client_id,
    allowSa: Boolean(r.allow_sa),
    status: r.status === 'active' ? 'active' : 'revoked',
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}
function secretFromRow(r: SecretRow): ClientSecretRecord {
  return {
    id: r.id,
    credentialSetId: r.credential_set_id,
    secretHash: r.secret_hash,
    hint: r.hint,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export function createCredentialsRepository() {
  return {
    async insertSet(run: Runner, s: Omit<CredentialSet, 'status' | 'revokedAt'>): Promise<void> {
      await run('credential_sets').insert({
        id: s.id,
        organization_id: s.organizationId,
        application_id: s.applicationId,
        environment: s.environment,
        client_use_code: s.clientUseCode,
        client_id: s.clientId,
        allow_sa: s.allowSa,
        status: 'active',
        active_key: `${s.organizationId}:${s.environment}`,
        created_at: s.createdAt,
        revoked_at: null,
      });
    },

    async findSet(run: Runner, id: string): Promise<CredentialSet | undefined> {
      const r = await run<SetRow>('credential_sets').where({ id }).first();
      return r ? setFromRow(r) : undefined;
    },

    async findSetByClientId(run: Runner, clientId: string): Promise<CredentialSet | undefined> {
      const r = await run<SetRow>('credential_sets').where({ client_id: clientId }).first();
      return r ? setFromRow(r) : undefined;
    },

    async findActiveSet(
      run: Runner,
      organizationId: string,
      environment: Environment,
      opts: { forUpdate?: boolean } = {},
    ): Promise<CredentialSet | undefined> {
      const q = run<SetRow>('credential_sets')
        .where({ organization_id: organizationId, environment, status: 'active' })
        .first();
      if (opts.forUpdate) q.forUpdate();
      const r = await q;
      return r ? setFromRow(r) : undefined;
    },

    /** A page of the organizations, newest first (the admin's sandbox page). */
    pageOrganizations(run: Runner, page: PageRequest): Promise<Page<{ id: string; name: string; created_at: string }>> {
      return keysetPage<{ id: string; name: string; created_at: string }>(
        run('organizations').select('id', 'name', 'created_at'),
        NEWEST_FIRST,
        page,
      );
    },

    findOrganization(run: Runner, id: string): Promise<{ id: string; name: string; created_at: string } | undefined> {
      return run('organizations').where({ id }).first('id', 'name', 'created_at');
    },

    /** The organization's active sets: at most one per environment (the unique active_key). */
    async listActiveSets(run: Runner, organizationId: string): Promise<CredentialSet[]> {
      const rows = await run<SetRow>('credential_sets').where({ organization_id: organizationId, status: 'active' });
      return rows.map(setFromRow).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    },

    /** The active sets of several organizations at once (the admin list's page): at most two each. */
    async listActiveSetsOf(run: Runner, organizationIds: readonly string[]): Promise<CredentialSet[]> {
      if (organizationIds.length === 0) return [];
      const rows = await run<SetRow>('credential_sets')
        .whereIn('organization_id', organizationIds)
        .andWhere({ status: 'active' });
      return rows.map(setFromRow);
    },

    /** The organization's newest set of an environment, active or revoked (one row of credential_sets_page). */
    async latestSet(run: Runner, organizationId: string, environment: Environment): Promise<CredentialSet | undefined> {
      const r = await run<SetRow>('credential_sets')
        .where({ organization_id: organizationId, environment })
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .first();
      return r ? setFromRow(r) : undefined;
    },

    /** A page of the organization's sets, newest first, revoked ones included (index credential_sets_page). */
    async pageSets(run: Runner, organizationId: string, page: PageRequest): Promise<Page<CredentialSet>> {
      const found = await keysetPage<SetRow>(
        run('credential_sets').where({ organization_id: organizationId }),
        NEWEST_FIRST,
        page,
      );
      return { ...found, rows: found.rows.map(setFromRow) };
    },

    /** Compare-and-set: only an active set is revoked. */
    async revokeSet(run: Runner, id: string, organizationId: string, at: string): Promise<boolean> {
      const n = await run('credential_sets')
        .where({ id, organization_id: organizationId, status: 'active' })
        .update({ status: 'revoked', active_key: null, revoked_at: at });
      return n > 0;
    },

    async setAllowSa(run: Runner, id: string, allow: boolean): Promise<number> {
      return run('credential_sets').where({ id }).update({ allow_sa: allow });
    },

    async insertSecret(
      run: Runner,
      s: Omit<ClientSecretRecord, 'revokedAt'> & { createdBy: string | null },
    ): Promise<void> {
      await run('client_secrets').insert({
        id: s.id,
        credential_set_id: s.credentialSetId,
        secret_hash: s.secretHash,
        hint: s.hint,
        expires_at: s.expiresAt,
        created_at: s.createdAt,
        created_by: s.createdBy,
        revoked_at: null,
      });
    },

    async findSecret(run: Runner, id: string, credentialSetId: string): Promise<ClientSecretRecord | undefined> {
      const r = await run<SecretRow>('client_secrets').where({ id, credential_set_id: credentialSetId }).first();
      return r ? secretFromRow(r) : undefined;
    },

    /**
     * A page of a set's secrets, newest first; `endedBy`: only those revoked or expired at that time (the
     * at most two active ones are skipped in the index range, nothing else is read).
     */
    async pageSecrets(
      run: Runner,
      credentialSetId: string,
      page: PageRequest,
      opts: { endedBy?: string } = {},
    ): Promise<Page<ClientSecretRecord>> {
      const q = run('client_secrets').where({ credential_set_id: credentialSetId });
      const endedBy = opts.endedBy;
      if (endedBy) q.andWhere((w) => w.whereNotNull('revoked_at').orWhere('expires_at', '<=', endedBy));
      const found = await keysetPage<SecretRow>(q, NEWEST_FIRST, page);
      return { ...found, rows: found.rows.map(secretFromRow) };
    },

    /** Secrets not revoked and not expired at `nowIso`. */
    async activeSecrets(run: Runner, credentialSetId: string, nowIso: string): Promise<ClientSecretRecord[]> {
      const rows = await run<SecretRow>('client_secrets')
        .where({ credential_set_id: credentialSetId })
        .whereNull('revoked_at')
        .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', nowIso))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc');
      return rows.map(secretFromRow);
    },

    async revokeSecret(run: Runner, id: string, credentialSetId: string, at: string): Promise<boolean> {
      const n = await run('client_secrets')
        .where({ id, credential_set_id: credentialSetId })
        .whereNull('revoked_at')
        .update({ revoked_at: at });
      return n > 0;
    },

    /** Revokes every test-bed token minted with the secret; returns how many. */
    async revokeTokensMintedWith(run: Runner, secretId: string, at: string): Promise<number> {
      return run('testbed_tokens')
        .where({ client_secret_id: secretId })
        .whereNull('revoked_at')
        .update({ revoked_at: at });
    },

    async setSecretExpiry(
      run: Runner,
      id: string,
      credentialSetId: string,
      expiresAt: string | null,
    ): Promise<boolean> {
      const n = await run('client_secrets')
        .where({ id, credential_set_id: credentialSetId })
        .whereNull('revoked_at')
        .update({ expires_at: expiresAt });
      return n > 0;
    },

    /** Next number for the year, incremented inside the caller's transaction. */
    async nextClientUseCodeNumber(run: Runner, year: number): Promise<number> {
      // One atomic upsert-increment: two first numbers of a year cannot both insert (PostgreSQL raced here).
      const rows = await run('client_use_code_counters')
        .insert({ year, last_value: 1 })
        .onConflict('year')
        .merge({ last_value: run.raw('?? + 1', ['client_use_code_counters.last_value']) })
        .returning('last_value');
      const first = (rows as unknown as ({ last_value: number | string } | number)[])[0];
      return Number(typeof first === 'object' && first !== null ? first.last_value : first);
    },

    async clientUseCodeTaken(run: Runner, code: string): Promise<boolean> {
      return Boolean(await run('credential_sets').where({ client_use_code: code }).first('id'));
    },

    async listCallbackUrls(
      run: Runner,
      organizationId: string,
    ): Promise<{ id: string; url: string; createdAt: string }[]> {
      const rows = await run('callback_urls')
        .where({ organization_id: organizationId })
        .orderBy('created_at', 'asc')
        .orderBy('url', 'asc');
      return rows.map((r: Record<string, string>) => ({ id: r.id!, url: r.url!, createdAt: r.created_at! }));
    },

    async insertCallbackUrl(
      run: Runner,
      c: { id: string; organizationId: string; url: string; createdAt: string },
    ): Promise<void> {
      await run('callback_urls').insert({
        id: c.id,
        organization_id: c.organizationId,
        url: c.url,
        created_at: c.createdAt,
      });
    },

    async deleteCallbackUrl(run: Runner, id: string, organizationId: string): Promise<string | null> {
      const row = await run('callback_urls').where({ id, organization_id: organizationId }).first();
      if (!row) return null;
      await run('callback_urls').where({ id, organization_id: organizationId }).delete();
      return row.url as string;
    },

    async contractAccounts(
      run: Runner,
      organizationId: string,
    ): Promise<
      {
        id: string;
        purpose: string;
        bankCode: string;
        accountNum: string;
        holderName: string;
        balance: number;
        status: string;
      }[]
    > {
      const rows = await run('bank_accounts')
        .where({ organization_id: organizationId })
        .whereIn('purpose', ['withdraw_collecting', 'deposit_paying', 'fee'])
        .orderBy('account_num', 'asc');
      return rows.map((r: Record<string, unknown>) => ({
        id: r.id as string,
        purpose: r.purpose as string,
        bankCode: r.bank_code as string,
        accountNum: r.account_num as string,
        holderName: r.account_holder_name as string,
        balance: Number(r.balance),
        status: r.status as string,
      }));
    },
  };
}
