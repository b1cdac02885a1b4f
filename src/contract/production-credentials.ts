// Rule: the live panel shows only what identifies the production credentials — client_id, 이용기관코드,
// the issue date and the production base URL — never a secret (a client secret is shown once, at issue, and
// production secrets are not issued through this portal at all). The test bed refuses these credentials.
import type { CredentialSet } from '../credentials/repository';

/** KFTC's production Open Banking API (the test bed answers at its own base URL). */
export const PRODUCTION_BASE_URL = 'https://openapi.openbanking.or.kr';

export interface ProductionCredentialCard {
  clientId: string;
  institutionCode: string;
  issuedAt: string;
  baseUrl: string;
}

export function productionCredentialCard(
  set: Pick<CredentialSet, 'environment' | 'status' | 'clientId' | 'clientUseCode' | 'createdAt'> | undefined,
): ProductionCredentialCard | null {
  if (set?.environment !== 'production' || set.status !== 'active') return null;
  return {
    clientId: set.clientId,
    institutionCode: set.clientUseCode,
    issuedAt: set.createdAt,
    baseUrl: PRODUCTION_BASE_URL,
  };
}
