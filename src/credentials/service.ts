// Credentials: a credential set per organization and environment (이용기관코드, client_id, up to two
// active client secrets for rotation), the organization's callback URLs and its contract accounts
// (약정계좌) at the test bank. Every change is audited in the same transaction.
import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { IdGenerator } from '../db/ids';
import type { Runner } from '../db/knex';
import type { AuditActor, AuditService } from '../audit/service';
import { SYSTEM_ACTOR } from '../audit/service';
import type { LedgerService } from '../testbed/ledger/service';
import { AppError, validationFailed } from '../http/errors';
import { checkCallbackUrl } from '../onboarding/callback-urls';
import { readTypedAnswers } from '../onboarding/answers';
import { authParamError } from '../testbed/common/kftc-error';
import { kstDate } from '../testbed/common/envelope';
import { accountNumFrom } from '../testbed/users/identifier-formats';
import { formatClientUseCode } from './client-use-code';
import {
  MAX_ACTIVE_SECRETS,
  hashClientSecret,
  matchingSecretIndex,
  newClientSecret,
  secretHint,
} from './client-secret';
import { ROTATION_GRACE_DAYS, rotatedOutExpiry } from './secret-rotation-grace';
import { isRegisteredRedirectUri } from './redirect-uri-match';
import {
  createCredentialsRepository,
  type ClientSecretRecord,
  type CredentialSet,
  type Environment,
} from './repository';
import { PAGE_SIZE_DEFAULT, type Page, type PageRequest } from '../pagination/cursor';
import { createApplications } from '../workflow/applications';

export {
  NEWEST_FIRST_CURSOR as SECRETS_CURSOR,
  NEWEST_FIRST_CURSOR as ORGANIZATIONS_CURSOR,
  NEWEST_FIRST_CURSOR as CREDENTIAL_SETS_CURSOR,
} from './repository';

/** A client secret as the pages and the API show it (never the secret, only its hint). */
export interface SecretView {
  id: string;
  hint: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  active: boolean;
  expired: boolean;
}
function secretView(x: ClientSecretRecord, nowIso: string): SecretView {
  return {
    id: x.id,
    hint: x.hint,
    createdAt: x.createdAt,
    expiresAt: x.expiresAt,
    revokedAt: x.revokedAt,
    active: !x.revokedAt && (!x.expiresAt || x.expiresAt > nowIso),
    expired: Boolean(!x.revokedAt && x.expiresAt && x.expiresAt <= nowIso),
  };
}

export type { CredentialSet, Environment } from './repository';

const MAX_CALLBACK_URLS_PER_ORG = 10;
/** Opening balance of a new organization's deposit-paying contract account (KRW). */
const DEPOSIT_PAYING_OPENING_BALANCE = 100_000_000;
const MAX_SECRET_DAYS = 3650;

export interface IssuedCredentials {
  credentialSetId: string;
  clientUseCode: string;
  clientId: string;
  created: boolean;
}

export function createCredentialsService(deps: {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  audit: Pick<AuditService, 'record'>;
  ledger: Pick<LedgerService, 'openAccount' | 'findAccountByNumber'>;
  /** Called after a commit that revoked test-bed tokens: the token guard drops its cache on this instance. */
  onTokensRevoked?: () => void;
  /** Registered as a callback URL of every NEW sandbox set: the portal's callback catcher (BASE_URL/sandbox/callback). */
  callbackCatcherUrl?: string;
}) {
  const { db, clock, ids, audit } = deps;
  const repo = createCredentialsRepository();
  const applications = createApplications(db); // the application row's owner (src/workflow/applications.ts)
  const now = () => clock().toISOString();
  const catcher = deps.callbackCatcherUrl ? [deps.callbackCatcherUrl] : [];

  function inTrx<T>(trx: Knex.Transaction | undefined, fn: (t: Knex.Transaction) => Promise<T>): Promise<T> {
    return trx ? fn(trx) : db.transaction(fn);
  }

  async function applicationOf(
    run: Runner,
    applicationId: string,
  ): Promise<{ organizationId: string; callbackUrls: string[] }> {
    const app = await applications.find(applicationId, run);
    if (!app) throw new AppError('not_found', 'application');
    const version = await run('application_versions')
      .where({ application_id: applicationId })
      .orderBy('version', 'desc')
      .first('answers');
    let callbackUrls: string[] = [];
    if (version?.answers) {
      try {
        callbackUrls = readTypedAnswers(JSON.parse(version.answers)).callbackUrls;
      } catch {
        callbackUrls = [];
      }
    }
    return { organizationId: app.organization_id as string, callbackUrls };
  }

  async function newClientUseCode(trx: Knex.Transaction): Promise<string> {
    const year = Number(kstDate(clock()).slice(0, 4));
    for (let i = 0; i < 5; i++) {
      const code = formatClientUseCode(year, await repo.nextClientUseCodeNumber(trx, year));
      if (!(await repo.clientUseCodeTaken(trx, code))) return code; // seeded codes are skipped
    }
    throw new Error('no free 이용기관코드');
  }

  async function createSet(
    trx: Knex.Transaction,
    organizationId: string,
    applicationId: string | null,
    environment: Environment,
    actor: AuditActor,
  ): Promise<IssuedCredentials> {
    const existing = await repo.findActiveSet(trx, organizationId, environment, { forUpdate: true });
    if (existing)
      return {
        credentialSetId: existing.id,
        clientUseCode: existing.clientUseCode,
        clientId: existing.clientId,
        created: false,
      };
    const set = {
      id: ids(),
      organizationId,
      applicationId,
      environment,
      clientUseCode: await newClientUseCode(trx),
      clientId: ids(),
      allowSa: false,
      createdAt: now(),
    };
    await repo.insertSet(trx, set);
    await audit.record(
      {
        event: 'credentials.set_created',
        actor,
        organizationId,
        applicationId,
        data: { environment, client_use_code: set.clientUseCode, client_id: set.clientId },
      },
      trx,
    );
    return { credentialSetId: set.id, clientUseCode: set.clientUseCode, clientId: set.clientId, created: true };
  }

  async function addCallbackUrlsInTrx(
    trx: Knex.Transaction,
    organizationId: string,
    urls: string[],
    actor: AuditActor,
  ): Promise<void> {
    const have = new Set((await repo.listCallbackUrls(trx, organizationId)).map((c) => c.url));
    for (const raw of urls) {
      const checked = checkCallbackUrl(raw.trim());
      if (!checked.ok || have.has(checked.value) || have.size >= MAX_CALLBACK_URLS_PER_ORG) continue;
      await repo.insertCallbackUrl(trx, { id: ids(), organizationId, url: checked.value, createdAt: now() });
      have.add(checked.value);
      await audit.record(
        { event: 'credentials.callback_added', actor, organizationId, data: { url: checked.value } },
        trx,
      );
    }
  }

  /** The organization's contract accounts (약정계좌) at the test bank; created once, deposit-paying funded. */
  async function ensureContractAccounts(
    trx: Knex.Transaction,
    organizationId: string,
    holderName: string,
    actor: AuditActor,
  ): Promise<void> {
    const have = new Set((await repo.contractAccounts(trx, organizationId)).map((a) => a.purpose));
    const wanted: { purpose: 'withdraw_collecting' | 'deposit_paying' | 'fee'; balance: number }[] = [
      { purpose: 'withdraw_collecting', balance: 0 },
      { purpose: 'deposit_paying', balance: DEPOSIT_PAYING_OPENING_BALANCE },
      { purpose: 'fee', balance: 0 },
    ];
    for (const w of wanted) {
      if (have.has(w.purpose)) continue;
      let accountNum = '';
      for (let i = 0; i < 10; i++) {
        const candidate = `100${accountNumFrom('000', ids()).slice(0, 10)}`;
        if (!(await deps.ledger.findAccountByNumber('097', candidate, trx))) {
          accountNum = candidate;
          break;
        }
      }
      if (!accountNum) throw new Error('could not allocate a contract account number');
      await deps.ledger.openAccount(
        { bankCode: '097', accountNum, holderName, organizationId, purpose: w.purpose, openingBalance: w.balance },
        trx,
      );
      await audit.record(
        {
          event: 'credentials.contract_account_opened',
          actor,
          organizationId,
          data: { purpose: w.purpose, bank_code: '097', account_num: accountNum, opening_balance: w.balance },
        },
        trx,
      );
    }
  }

  async function orgName(run: Runner, organizationId: string): Promise<string> {
    const org = await run('organizations').where({ id: organizationId }).first('name');
    return (org?.name as string | undefined)?.slice(0, 100) ?? '이용기관';
  }

  /** `active`: the organization's active credential sets (read here when not given). */
  async function adminRowOf(o: { id: string; name: string }, active?: CredentialSet[]) {
    const app = await applications.latestForOrganization(o.id);
    active ??= await repo.listActiveSets(db, o.id);
    const sandbox = active.find((s) => s.environment === 'sandbox') ?? null;
    return {
      organizationId: o.id,
      name: o.name,
      application: app ?? null,
      sandbox,
      production: active.find((s) => s.environment === 'production') ?? null,
      // No active sandbox set: was there one (revoked), or none yet? One indexed row, only then.
      revokedSandbox: !sandbox && Boolean(await repo.latestSet(db, o.id, 'sandbox')),
    };
  }

  const service = {
    /**
     * Sandbox credentials for the application's organization: the set, the callback URLs from the latest
     * submitted version and the contract accounts. Idempotent: a second call returns the existing set.
     * No secret is created here: an organization member creates one on the sandbox page (shown once).
     */
    async issueSandboxCredentials(
      applicationId: string,
      trx?: Knex.Transaction,
      actor: AuditActor = SYSTEM_ACTOR,
    ): Promise<IssuedCredentials> {
      return inTrx(trx, async (t) => {
        const { organizationId, callbackUrls } = await applicationOf(t, applicationId);
        const issued = await createSet(t, organizationId, applicationId, 'sandbox', actor);
        if (issued.created) await addCallbackUrlsInTrx(t, organizationId, [...callbackUrls, ...catcher], actor);
        await ensureContractAccounts(t, organizationId, await orgName(t, organizationId), actor);
        return issued;
      });
    },

    /** Production credentials when the organization goes live (the test bed refuses them). Idempotent. */
    async issueProductionCredentials(
      applicationId: string,
      trx?: Knex.Transaction,
      actor: AuditActor = SYSTEM_ACTOR,
    ): Promise<IssuedCredentials> {
      return inTrx(trx, async (t) => {
        const { organizationId } = await applicationOf(t, applicationId);
        return createSet(t, organizationId, applicationId, 'production', actor);
      });
    },

    async activeSet(
      organizationId: string,
      environment: Environment = 'sandbox',
      run: Runner = db,
    ): Promise<CredentialSet | undefined> {
      return repo.findActiveSet(run, organizationId, environment);
    },

    /**
     * Everything the sandbox page shows (never a secret, only hints). Each set carries its active secrets (at
     * most MAX_ACTIVE_SECRETS); the ended ones (revoked or expired) are paged: `secretHistory` asks for a page
     * of the active sandbox set's (newest first), `sandbox.secretHistory` is that page.
     */
    async overview(organizationId: string, opts: { secretHistory?: PageRequest } = {}) {
      // The active sets only (at most one per environment); all of them, revoked ones too, are paged by pageSets.
      const sets = await repo.listActiveSets(db, organizationId);
      const ts = now();
      const withSecrets = [];
      for (const s of sets) {
        const secrets = (await repo.activeSecrets(db, s.id, ts)).map((x) => secretView(x, ts));
        withSecrets.push({ ...s, secrets, activeSecretCount: secrets.length });
      }
      const active = withSecrets.find((s) => s.environment === 'sandbox' && s.status === 'active');
      let sandbox = null;
      if (active) {
        const history = opts.secretHistory
          ? await repo.pageSecrets(db, active.id, opts.secretHistory, { endedBy: ts })
          : { rows: [], next: null, previous: null };
        sandbox = { ...active, secretHistory: { ...history, rows: history.rows.map((x) => secretView(x, ts)) } };
      }
      return {
        sets: withSecrets,
        sandbox,
        production: withSecrets.find((s) => s.environment === 'production' && s.status === 'active') ?? null,
        callbackUrls: await repo.listCallbackUrls(db, organizationId),
        contractAccounts: await repo.contractAccounts(db, organizationId),
      };
    },

    /** A page of the organization's credential sets, newest first, revoked ones included (GET /api/v1/sandbox/credential-sets). */
    pageSets(organizationId: string, page: PageRequest): Promise<Page<CredentialSet>> {
      return repo.pageSets(db, organizationId, page);
    },

    /**
     * A page of one of the organization's credential sets' secrets, newest first, revoked and expired ones
     * included (GET /api/v1/sandbox/credential-sets/:id/secrets). Another organization's set is "not found".
     */
    async pageSecrets(organizationId: string, setId: string, page: PageRequest): Promise<Page<SecretView>> {
      const set = await repo.findSet(db, setId);
      if (!set || set.organizationId !== organizationId) throw new AppError('not_found', 'credentials');
      const ts = now();
      const found = await repo.pageSecrets(db, set.id, page);
      return { ...found, rows: found.rows.map((x) => secretView(x, ts)) };
    },

    /**
     * A new client secret for the organization's active sandbox set; returned once, stored hashed. The
     * secrets already active are rotated out: they keep working for ROTATION_GRACE_DAYS (secret-rotation-grace.ts).
     */
    async createSecret(
      actor: AuditActor,
      organizationId: string,
      input: { expires_in_days?: unknown } = {},
    ): Promise<{
      secret: string;
      hint: string;
      expiresAt: string | null;
      rotatedOut: { hint: string; expiresAt: string }[];
    }> {
      const raw = typeof input.expires_in_days === 'string' ? input.expires_in_days.trim() : '';
      let expiresAt: string | null = null;
      if (raw) {
        const days = Number(raw);
        if (!/^\d+$/.test(raw) || !Number.isInteger(days) || days < 1 || days > MAX_SECRET_DAYS) {
          throw validationFailed([
            { field: 'expires_in_days', message: 'sandbox.errors.expiry_invalid', params: { max: MAX_SECRET_DAYS } },
          ]);
        }
        expiresAt = new Date(clock().getTime() + days * 86_400_000).toISOString();
      }
      return db.transaction(async (trx) => {
        const set = await repo.findActiveSet(trx, organizationId, 'sandbox', { forUpdate: true });
        if (!set) throw new AppError('not_found', 'credentials');
        const active = await repo.activeSecrets(trx, set.id, now());
        if (active.length >= MAX_ACTIVE_SECRETS) {
          throw validationFailed([
            {
              field: 'expires_in_days',
              message: 'sandbox.errors.too_many_secrets',
              params: { max: MAX_ACTIVE_SECRETS },
            },
          ]);
        }
        const secret = newClientSecret();
        const hint = secretHint(secret);
        const rotatedOut: { hint: string; expiresAt: string }[] = [];
        for (const old of active) {
          const graceEnd = rotatedOutExpiry(old.expiresAt, clock());
          if (graceEnd === old.expiresAt) continue; // already expires within the grace period
          await repo.setSecretExpiry(trx, old.id, set.id, graceEnd);
          rotatedOut.push({ hint: old.hint, expiresAt: graceEnd });
        }
        await repo.insertSecret(trx, {
          id: ids(),
          credentialSetId: set.id,
          secretHash: hashClientSecret(secret),
          hint,
          expiresAt,
          createdAt: now(),
          createdBy: actor.userId,
        });
        await audit.record(
          {
            event: 'credentials.secret_created',
            actor,
            organizationId,
            data: {
              client_use_code: set.clientUseCode,
              hint,
              expires_at: expiresAt,
              rotated_out: rotatedOut,
              grace_days: ROTATION_GRACE_DAYS,
            },
          },
          trx,
        );
        return { secret, hint, expiresAt, rotatedOut };
      });
    },

    /**
     * Deletes (revokes) a secret and, in the same transaction, every test-bed token minted with it. The
     * guard on this instance forgets its cache after the commit; other instances re-read within
     * TOKEN_RECHECK_MS (1 s), and the guard also refuses any token whose minting secret is revoked.
     */
    async revokeSecret(
      actor: AuditActor,
      organizationId: string,
      secretId: string,
    ): Promise<{ tokensRevoked: number }> {
      const result = await db.transaction(async (trx) => {
        const set = await repo.findActiveSet(trx, organizationId, 'sandbox', { forUpdate: true });
        const secret = set ? await repo.findSecret(trx, secretId, set.id) : undefined;
        if (!set || !secret) throw new AppError('not_found', 'secret');
        const at = now();
        const tokensRevoked = await repo.revokeTokensMintedWith(trx, secretId, at);
        if (!(await repo.revokeSecret(trx, secretId, set.id, at)) && tokensRevoked === 0) return { tokensRevoked }; // already revoked: nothing to do
        await audit.record(
          {
            event: 'credentials.secret_revoked',
            actor,
            organizationId,
            data: { client_use_code: set.clientUseCode, hint: secret.hint, tokens_revoked: tokensRevoked },
          },
          trx,
        );
        return { tokensRevoked };
      });
      deps.onTokensRevoked?.();
      return result;
    },

    /** Revokes the whole sandbox set: every secret stops working and every token it issued is refused. */
    async revokeSandboxSet(actor: AuditActor, organizationId: string): Promise<void> {
      await db.transaction(async (trx) => {
        const set = await repo.findActiveSet(trx, organizationId, 'sandbox', { forUpdate: true });
        if (!set) throw new AppError('not_found', 'credentials');
        const at = now();
        if (!(await repo.revokeSet(trx, set.id, organizationId, at)))
          throw new AppError('conflict', 'credentials changed');
        await trx('client_secrets')
          .where({ credential_set_id: set.id })
          .whereNull('revoked_at')
          .update({ revoked_at: at });
        await trx('testbed_tokens')
          .where({ credential_set_id: set.id })
          .whereNull('revoked_at')
          .update({ revoked_at: at });
        await audit.record(
          {
            event: 'credentials.set_revoked',
            actor,
            organizationId,
            data: { client_use_code: set.clientUseCode, client_id: set.clientId },
          },
          trx,
        );
      });
      deps.onTokensRevoked?.();
    },

    /** Admin: a fresh sandbox set after a revoked one (new 이용기관코드 and client_id; contract accounts kept). */
    async reissueSandboxSet(actor: AuditActor, organizationId: string): Promise<IssuedCredentials> {
      return db.transaction(async (trx) => {
        const last = await repo.latestSet(trx, organizationId, 'sandbox');
        const issued = await createSet(trx, organizationId, last?.applicationId ?? null, 'sandbox', actor);
        if (issued.created) await addCallbackUrlsInTrx(trx, organizationId, catcher, actor);
        await ensureContractAccounts(trx, organizationId, await orgName(trx, organizationId), actor);
        return issued;
      });
    },

    /** Admin: allow or refuse scope=sa (self-authentication) for the organization's sandbox set. */
    async setAllowSa(actor: AuditActor, organizationId: string, allow: boolean): Promise<void> {
      await db.transaction(async (trx) => {
        const set = await repo.findActiveSet(trx, organizationId, 'sandbox', { forUpdate: true });
        if (!set) throw new AppError('not_found', 'credentials');
        await repo.setAllowSa(trx, set.id, allow);
        await audit.record(
          {
            event: allow ? 'credentials.sa_allowed' : 'credentials.sa_refused',
            actor,
            organizationId,
            data: { client_use_code: set.clientUseCode },
          },
          trx,
        );
      });
    },

    async callbackUrls(organizationId: string, run: Runner = db): Promise<string[]> {
      return (await repo.listCallbackUrls(run, organizationId)).map((c) => c.url);
    },

    async isRegisteredRedirectUri(organizationId: string, candidate: unknown, run: Runner = db): Promise<boolean> {
      return isRegisteredRedirectUri(await service.callbackUrls(organizationId, run), candidate);
    },

    async addCallbackUrl(actor: AuditActor, organizationId: string, input: { url?: unknown }): Promise<void> {
      const raw = typeof input.url === 'string' ? input.url.trim() : '';
      if (!raw) throw validationFailed([{ field: 'url', message: 'sandbox.errors.callback_required' }]);
      const checked = checkCallbackUrl(raw);
      if (!checked.ok) throw validationFailed([{ field: 'url', message: `sandbox.errors.callback_${checked.reason}` }]);
      await db.transaction(async (trx) => {
        const have = await repo.listCallbackUrls(trx, organizationId);
        if (have.some((c) => c.url === checked.value))
          throw validationFailed([{ field: 'url', message: 'sandbox.errors.callback_duplicate' }]);
        if (have.length >= MAX_CALLBACK_URLS_PER_ORG)
          throw validationFailed([
            { field: 'url', message: 'sandbox.errors.callback_too_many', params: { max: MAX_CALLBACK_URLS_PER_ORG } },
          ]);
        await repo.insertCallbackUrl(trx, { id: ids(), organizationId, url: checked.value, createdAt: now() });
        await audit.record(
          { event: 'credentials.callback_added', actor, organizationId, data: { url: checked.value } },
          trx,
        );
      });
    },

    async removeCallbackUrl(actor: AuditActor, organizationId: string, id: string): Promise<void> {
      await db.transaction(async (trx) => {
        const url = await repo.deleteCallbackUrl(trx, id, organizationId);
        if (url === null) throw new AppError('not_found', 'callback url');
        await audit.record({ event: 'credentials.callback_removed', actor, organizationId, data: { url } }, trx);
      });
    },

    /**
     * Client authentication at the token endpoint. Unknown client, wrong/revoked/expired secret, revoked
     * set or production credentials → O0001 [3000201]. Duration does not reveal which one.
     */
    async authenticateClient(clientId: string, clientSecret: string): Promise<CredentialSet> {
      const set = clientId.length <= 100 ? await repo.findSetByClientId(db, clientId) : undefined;
      const secrets = set ? await repo.activeSecrets(db, set.id, now()) : [];
      const hashes = set ? secrets.map((s) => s.secretHash) : [hashClientSecret('no-such-client')];
      const index = matchingSecretIndex(clientSecret, hashes);
      if (!set || index < 0 || set.status !== 'active' || set.environment !== 'sandbox')
        throw authParamError('3000201');
      // The tokens minted on this request record the secret, so that deleting it revokes exactly them.
      return { ...set, clientSecretId: secrets[index]!.id };
    },

    /** The set for a client_id, for the authorize pages (no secret involved). */
    /** A credential set by id, whatever its status (the authorize pages check it is still active). */
    findSet(id: string): Promise<CredentialSet | undefined> {
      return repo.findSet(db, id);
    },

    async findUsableSetByClientId(clientId: unknown): Promise<CredentialSet | undefined> {
      if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 100) return undefined;
      const set = await repo.findSetByClientId(db, clientId);
      return set && set.status === 'active' && set.environment === 'sandbox' ? set : undefined;
    },

    /** Admin list: a page of the organizations, newest first, each with its latest application and sandbox set. */
    async adminList(page: PageRequest = { size: PAGE_SIZE_DEFAULT }) {
      const orgs = await repo.pageOrganizations(db, page);
      // The page's sets in one query; the latest application of each organization is one indexed read each.
      const sets = await repo.listActiveSetsOf(
        db,
        orgs.rows.map((o) => o.id),
      );
      const rows = [];
      for (const o of orgs.rows)
        rows.push(
          await adminRowOf(
            o,
            sets.filter((s) => s.organizationId === o.id),
          ),
        );
      return { ...orgs, rows };
    },

    /** One organization's row of the admin list; undefined when there is no such organization. */
    async adminRow(organizationId: string) {
      const o = await repo.findOrganization(db, organizationId);
      return o ? adminRowOf(o) : undefined;
    },
  };
  return service;
}
export type CredentialsService = ReturnType<typeof createCredentialsService>;
