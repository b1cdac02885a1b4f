// Typed reading of stored answers for other modules (credentials, test bed, workflow checks):
// the form-shaped section data → values with their real types.
import { splitLines } from './callback-urls';
import type { Answers } from './summary';

export interface TypedAnswers {
  legalName: string;
  businessRegistrationNumber: string;
  serviceName: string;
  apis: string[];
  monthlyCalls: Record<string, number>;
  callbackUrls: string[];
  serverIps: string[];
  contacts: Record<'business' | 'technical' | 'privacy', { name: string; email: string; phone: string }>;
}

export function readTypedAnswers(a: Answers): TypedAnswers {
  const get = (section: keyof Answers, k: string): string => {
    const v = a[section]?.[k];
    return typeof v === 'string' ? v : '';
  };
  const apis = Array.isArray(a.apis?.apis) ? (a.apis!.apis as string[]) : [];
  const monthlyCalls: Record<string, number> = {};
  for (const k of apis) {
    const n = Number(get('apis', `calls_${k}`));
    if (Number.isSafeInteger(n) && n > 0) monthlyCalls[k] = n;
  }
  const contact = (r: string) => ({
    name: get('contacts', `${r}_name`),
    email: get('contacts', `${r}_email`),
    phone: get('contacts', `${r}_phone`),
  });
  return {
    legalName: get('company', 'legal_name'),
    businessRegistrationNumber: get('company', 'business_registration_number'),
    serviceName: get('service', 'service_name'),
    apis,
    monthlyCalls,
    callbackUrls: splitLines(get('technical', 'callback_urls')),
    serverIps: splitLines(get('technical', 'server_ips')),
    contacts: { business: contact('business'), technical: contact('technical'), privacy: contact('privacy') },
  };
}
