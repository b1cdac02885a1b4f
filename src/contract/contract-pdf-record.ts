// Rule: the contract PDF exists once the owner has signed, and it is the PDF of the contract's current state
// (signed, then countersigned) in the reader's language. The SHA-256 of its Korean and English renderings is
// recorded the first time the PDF of a state is rendered — the first page view or download after signing,
// and again after countersigning — with an audit event (`contract.pdf_recorded`); pages then show the
// recorded hash without rendering. Rendering is byte-for-byte deterministic (contract-pdf.ts), so the
// hash of every later download equals the recorded one; a mismatch (only if the font, pdf-lib or the
// wording changed since) is reported to the caller, and the recorded hash is never overwritten.
import type { Knex } from 'knex';
import { SYSTEM_ACTOR, type AuditService } from '../audit/service';
import type { Locale } from '../i18n';
import type { ContractPdfSource } from './contract-pdf';
import { sha256Hex } from './contract-number';
import type { ContractRecord, ContractRepository } from './repository';

// pdf-lib and fontkit (about a third of a second of CPU to load) load with the first rendering, not with the app.
async function renderContractPdf(locale: Locale, source: ContractPdfSource): Promise<Uint8Array> {
  return (await import('./contract-pdf')).renderContractPdf(locale, source);
}

export interface ContractPdf {
  bytes: Uint8Array;
  sha256: string;
  recordedSha256: string;
}

/** A contract row whose PDF can be rendered: signed by the owner and not sent back. */
export function hasPdf(record: ContractRecord | null | undefined): record is ContractRecord {
  return Boolean(record && (record.status === 'signed' || record.status === 'countersigned'));
}

export function createContractPdfRecorder(deps: {
  db: Knex;
  repo: Pick<ContractRepository, 'recordPdfHashes'>;
  audit: Pick<AuditService, 'record'>;
}) {
  const recordedFor = (record: ContractRecord): Record<Locale, string> | null =>
    record.pdfSha256 && record.pdfRecordedFor === record.status ? record.pdfSha256 : null;

  async function record(contract: ContractRecord, hashes: Record<Locale, string>): Promise<void> {
    await deps.db.transaction(async (trx) => {
      if (!(await deps.repo.recordPdfHashes(trx, contract.id, contract.status, hashes))) return; // recorded meanwhile
      await deps.audit.record(
        {
          event: 'contract.pdf_recorded',
          actor: SYSTEM_ACTOR,
          organizationId: contract.organizationId,
          applicationId: contract.applicationId,
          data: {
            contractId: contract.id,
            contractVersion: contract.version,
            contractStatus: contract.status,
            documentSha256: contract.documentSha256,
            pdfSha256Ko: hashes.ko,
            pdfSha256En: hashes.en,
          },
        },
        trx,
      );
    });
  }

  /** Both languages' hashes, rendering and recording them when this state has none yet. */
  async function render(contract: ContractRecord, locale: Locale): Promise<ContractPdf> {
    const bytes = await renderContractPdf(locale, contract);
    const sha256 = sha256Hex(bytes);
    let recorded = recordedFor(contract);
    if (!recorded) {
      const other: Locale = locale === 'ko' ? 'en' : 'ko';
      const hashes = { [locale]: sha256, [other]: sha256Hex(await renderContractPdf(other, contract)) } as Record<
        Locale,
        string
      >;
      await record(contract, hashes);
      recorded = hashes;
    }
    return { bytes, sha256, recordedSha256: recorded[locale] };
  }

  return {
    render,
    /** The recorded hashes for the contract's current state; rendered and recorded on first use. */
    async hashes(contract: ContractRecord): Promise<Record<Locale, string>> {
      const recorded = recordedFor(contract);
      if (recorded) return recorded;
      const ko = sha256Hex(await renderContractPdf('ko', contract));
      const en = sha256Hex(await renderContractPdf('en', contract));
      await record(contract, { ko, en });
      return { ko, en };
    },
  };
}
