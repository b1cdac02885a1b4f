// The contract (이용계약서) generated from the latest submitted application version: parties, service,
// requested APIs with their per-call fees, terms version. Pure: the same answers give the same document, and
// the document signed is frozen as JSON with its SHA-256 so the countersignature covers exactly that text.
import crypto from 'node:crypto';
import { readTypedAnswers } from '../onboarding/answers';
import type { Answers } from '../onboarding/summary';
import { API_CATALOGUE } from '../onboarding/api-catalogue';
import type { FeeSchedule } from './fee-schedule';

export interface ContractDocument {
  termsVersion: string;
  applicationReference: string | null;
  applicationVersion: number;
  organization: { legalName: string; businessRegistrationNumber: string; representative: string; address: string };
  service: { name: string; description: string };
  /** Requested APIs in catalogue order; feePerCall null when the API has no per-call fee. */
  apis: { key: string; feePerCall: number | null; monthlyCalls: number | null }[];
  /** The whole fee schedule of the terms version, so the contract states every price. */
  fees: { callType: string; feePerCall: number }[];
  currency: 'KRW';
}

export function buildContractDocument(input: {
  answers: Answers;
  applicationReference: string | null;
  applicationVersion: number;
  schedule: FeeSchedule;
}): ContractDocument {
  const typed = readTypedAnswers(input.answers);
  const company = input.answers.company ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const feeFor = new Map(input.schedule.items.map((i) => [i.callType, i.feePerCall]));
  const requested = new Set(typed.apis);
  return {
    termsVersion: input.schedule.termsVersion,
    applicationReference: input.applicationReference,
    applicationVersion: input.applicationVersion,
    organization: {
      legalName: typed.legalName,
      businessRegistrationNumber: typed.businessRegistrationNumber,
      representative: text(company.representative),
      address: text(company.address),
    },
    service: { name: typed.serviceName, description: text(input.answers.service?.description) },
    apis: API_CATALOGUE.filter((a) => requested.has(a.key)).map((a) => ({
      key: a.key,
      feePerCall: feeFor.get(a.key) ?? null,
      monthlyCalls: typed.monthlyCalls[a.key] ?? null,
    })),
    fees: input.schedule.items.map((i) => ({ callType: i.callType, feePerCall: i.feePerCall })),
    currency: input.schedule.currency,
  };
}

/** "123-45-67890" for display; stored digits stay as typed by onboarding. */
export function formatBusinessRegistrationNumber(digits: string): string {
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}` : digits;
}

/** Canonical JSON (keys in insertion order, which buildContractDocument fixes) and its SHA-256. */
export function freezeContractDocument(doc: ContractDocument): { json: string; sha256: string } {
  const json = JSON.stringify(doc);
  return { json, sha256: crypto.createHash('sha256').update(json, 'utf8').digest('hex') };
}
