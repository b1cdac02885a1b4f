// knex queries for contracts (one row per signed version) and the facts the four-eyes rule needs.
import type { Runner } from '../db/knex';
import type { Locale } from '../i18n';
import type { ContractDocument } from './contract-document';
import type { Page, PageRequest } from '../pagination/cursor';
import { keysetPage, type KeysetOrder } from '../pagination/keyset';

export type ContractStatus = 'signed' | 'countersigned' | 'returned';

export interface ContractRecord {
  id: string;
  applicationId: string;
  organizationId: string;
  version: number;
  termsVersion: string;
  document: ContractDocument;
  documentSha256: string;
  status: ContractStatus;
  signerUserId: string;
  signerName: string;
  signerEmail: string | null;
  signedAt: string;
  signerIp: string;
  countersignerUserId: string | null;
  countersignerName: string | null;
  countersignedAt: string | null;
  countersignerIp: string | null;
  effectiveDate: string | null;
  returnedAt: string | null;
  returnedReason: string | null;
  /** SHA-256 of the contract PDF per language, recorded for the status in `pdfRecordedFor` (contract-pdf-record.ts). */
  pdfSha256?: Record<Locale, string> | null;
  pdfRecordedFor?: ContractStatus | null;
}

// biome-ignore lint/suspicious/noExplicitAny: a database row as the driver returns it (types differ between SQLite and PostgreSQL); this mapper is the one place that reads it
function fromRow(r: any): ContractRecord {
  return {
    id: r.id,
    applicationId: r.application_id,
    organizationId: r.organization_id,
    version: Number(r.version),
    termsVersion: r.terms_version,
    document: JSON.parse(r.document) as ContractDocument,
    documentSha256: r.document_sha256,
    status: r.status,
    signerUserId: r.signer_user_id,
    signerName: r.signer_name,
    signerEmail: r.signer_email ?? null,
    signedAt: r.signed_at,
    signerIp: r.signer_ip,
    countersignerUserId: r.countersigner_user_id ?? null,
    countersignerName: r.countersigner_name ?? null,
    countersignedAt: r.countersigned_at ?? null,
    countersignerIp: r.countersigner_ip ?? null,
    effectiveDate: r.effective_date ?? null,
    returnedAt: r.returned_at ?? null,
    returnedReason: r.returned_reason ?? null,
    pdfSha256: r.pdf_sha256_ko && r.pdf_sha256_en ? { ko: r.pdf_sha256_ko, en: r.pdf_sha256_en } : null,
    pdfRecordedFor: r.pdf_recorded_for ?? null,
  };
}

/** An application's contract versions, newest first: `version` is unique per application (index (application_id, version)). */
// biome-ignore lint/suspicious/noExplicitAny: the driver's row, read by fromRow
const NEWEST_VERSION_FIRST: KeysetOrder<any> = {
  columns: ['c.version'],
  direction: 'desc',
  keyOf: (row) => [Number(row.version)],
};
/** The shape of the versions list's cursor (the version number). */
export const CONTRACT_VERSIONS_CURSOR = ['integer'] as const;

/** Each method runs on the runner it is given first (the database or the caller's transaction). */
export function createContractRepository() {
  const withNames = (run: Runner, applicationId: string) =>
    run('contracts as c')
      .leftJoin('users as s', 's.id', 'c.signer_user_id')
      .leftJoin('users as k', 'k.id', 'c.countersigner_user_id')
      .where('c.application_id', applicationId)
      .select('c.*', 's.email as signer_email', 'k.name as countersigner_name');
  return {
    /** The newest version (the one signing, countersigning and the PDF act on); null before the first signature. */
    async latestForApplication(run: Runner, applicationId: string): Promise<ContractRecord | null> {
      const row = await withNames(run, applicationId).orderBy('c.version', 'desc').first();
      return row ? fromRow(row) : null;
    },
    /** A page of the versions, newest first (keyset on version: one range of the unique index (application_id, version)). */
    async pageForApplication(run: Runner, applicationId: string, page: PageRequest): Promise<Page<ContractRecord>> {
      const found = await keysetPage(withNames(run, applicationId), NEWEST_VERSION_FIRST, page);
      return { ...found, rows: found.rows.map(fromRow) };
    },
    async insert(run: Runner, c: Omit<ContractRecord, 'signerEmail' | 'countersignerName'>): Promise<void> {
      await run('contracts').insert({
        id: c.id,
        application_id: c.applicationId,
        organization_id: c.organizationId,
        version: c.version,
        terms_version: c.termsVersion,
        document: JSON.stringify(c.document),
        document_sha256: c.documentSha256,
        status: c.status,
        signer_user_id: c.signerUserId,
        signer_name: c.signerName,
        signed_at: c.signedAt,
        signer_ip: c.signerIp,
        countersigner_user_id: c.countersignerUserId,
        countersigned_at: c.countersignedAt,
        countersigner_ip: c.countersignerIp,
        effective_date: c.effectiveDate,
        returned_at: c.returnedAt,
        returned_reason: c.returnedReason,
      });
    },
    /** Compare-and-set: only a contract still 'signed' can be countersigned. */
    async markCountersigned(
      run: Runner,
      id: string,
      c: { userId: string; at: string; ip: string; effectiveDate: string },
    ): Promise<boolean> {
      const n = await run('contracts').where({ id, status: 'signed' }).update({
        status: 'countersigned',
        countersigner_user_id: c.userId,
        countersigned_at: c.at,
        countersigner_ip: c.ip,
        effective_date: c.effectiveDate,
      });
      return n === 1;
    },
    /** Compare-and-set: a signed contract sent back for changes is kept as 'returned'. */
    async markReturned(run: Runner, id: string, at: string, reason: string): Promise<boolean> {
      const n = await run('contracts')
        .where({ id, status: 'signed' })
        .update({ status: 'returned', returned_at: at, returned_reason: reason });
      return n === 1;
    },
    /**
     * Compare-and-set: records the PDF hashes rendered for `status` only while the contract is still in that
     * status and has none recorded for it (two first renderings at once: one records, both hashes are equal).
     */
    async recordPdfHashes(
      run: Runner,
      id: string,
      status: ContractStatus,
      hashes: Record<Locale, string>,
    ): Promise<boolean> {
      const n = await run('contracts')
        .where({ id, status })
        .andWhere((q) => q.whereNull('pdf_recorded_for').orWhereNot('pdf_recorded_for', status))
        .update({ pdf_sha256_ko: hashes.ko, pdf_sha256_en: hashes.en, pdf_recorded_for: status });
      return n === 1;
    },
    /** The newest submitted application version's answers (JSON: { section: data }). */
    async latestApplicationVersion(
      run: Runner,
      applicationId: string,
    ): Promise<{ version: number; answers: Record<string, unknown> } | undefined> {
      const row = await run('application_versions')
        .where({ application_id: applicationId })
        .orderBy('version', 'desc')
        .first('version', 'answers');
      if (!row) return undefined;
      return { version: Number(row.version), answers: JSON.parse(row.answers) as Record<string, unknown> };
    },
    /**
     * Who approved suitability: the workflow records it as event application.approved from a suitability:* state;
     * any audited move from suitability:* to testing:* is matched too, whatever its event name.
     */
    async suitabilityApproverIds(run: Runner, applicationId: string): Promise<string[]> {
      const rows = await run('audit_events')
        .where({ application_id: applicationId })
        .whereNotNull('actor_user_id')
        .andWhere((q) =>
          q
            .where((a) => a.where({ event: 'application.approved' }).andWhere('from_state', 'like', 'suitability:%'))
            .orWhere((b) => b.where('from_state', 'like', 'suitability:%').andWhere('to_state', 'like', 'testing:%')),
        )
        .distinct('actor_user_id');
      return rows.map((x: { actor_user_id: string }) => x.actor_user_id);
    },
  };
}
export type ContractRepository = ReturnType<typeof createContractRepository>;
