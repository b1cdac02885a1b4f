// The contract's number and the hash its PDFs are recorded under, apart from contract-pdf.ts so that the
// service and the recorder use them without loading pdf-lib and fontkit, which load with the first rendering.
import crypto from 'node:crypto';
import type { ContractRecord } from './repository';

/** "OB-2026-000001-C1": the application reference and the signed version. */
export function contractNumber(source: Pick<ContractRecord, 'version' | 'document'>): string {
  return `${source.document.applicationReference ?? 'OB'}-C${source.version}`;
}

export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
