// The application form: five sections, one page each. Each section declares its allow-listed fields and
// validates them. Stored data is "form-shaped" (strings, normalized where valid) so a saved draft goes
// straight back into its form; typed readers for other modules live in answers.ts.
import type { FieldError } from '../http/errors';
import { API_CATALOGUE, API_KEYS } from './api-catalogue';
import { checkBusinessRegistrationNumber } from './business-registration-number';
import { checkCorporateRegistrationNumber } from './corporate-registration-number';
import { checkCallbackUrl, MAX_CALLBACK_URLS, splitLines } from './callback-urls';
import { MAX_SERVER_IPS, normalizeIpv4OrCidr } from './ip-addresses';
import { normalizeKoreanPhoneNumber } from './korean-phone-number';
import { isEmailAddress, parseIsoDate, parseWholeNumber } from './form-values';

export const SECTION_KEYS = ['company', 'service', 'apis', 'technical', 'contacts'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];
export function isSectionKey(s: unknown): s is SectionKey {
  return typeof s === 'string' && (SECTION_KEYS as readonly string[]).includes(s);
}

export type SectionData = Record<string, string | string[]>;
export interface ValidationContext {
  /** Today in Korea, YYYY-MM-DD. */ today: string;
}

export const BUSINESS_TYPES = ['corporation', 'sole_proprietor'] as const;
export const SERVICE_KINDS = [
  'simple_payment',
  'simple_remittance',
  'p2p',
  'asset_management',
  'overseas_remittance',
  'other',
] as const;
export const CONTACT_ROLES = ['business', 'technical', 'privacy'] as const;
/** Answers to "has there been any …" questions (sanctions, criminal records): none, or some with details. */
export const HISTORY_CHOICES = ['none', 'some'] as const;
/** How a fintech that withdraws from users' accounts guarantees the money: 이행보증보험 or 예치금. */
export const GUARANTEE_KINDS = ['insurance', 'deposit'] as const;
/** The API whose request makes the withdrawal guarantee (and its proof) required. */
export const GUARANTEED_API = 'withdraw';
const MAX_COMPLAINT_DAYS = 30;

interface FieldSpec {
  name: string;
  max: number;
  multi?: boolean;
}

const e = (field: string, key: string, params?: Record<string, string | number>): FieldError =>
  params ? { field, message: `onboarding.errors.${key}`, params } : { field, message: `onboarding.errors.${key}` };

const FIELDS: Record<SectionKey, FieldSpec[]> = {
  company: [
    { name: 'legal_name', max: 200 },
    { name: 'business_type', max: 30 },
    { name: 'business_registration_number', max: 30 },
    { name: 'corporate_registration_number', max: 30 },
    { name: 'representative', max: 100 },
    { name: 'address', max: 300 },
    { name: 'founded_on', max: 20 },
    { name: 'paid_in_capital', max: 30 },
    { name: 'employees', max: 20 },
    { name: 'sanctions_history', max: 10 },
    { name: 'sanctions_details', max: 2000 },
    { name: 'criminal_record', max: 10 },
    { name: 'criminal_record_details', max: 2000 },
  ],
  service: [
    { name: 'service_name', max: 100 },
    { name: 'service_kind', max: 30 },
    { name: 'service_kind_other', max: 100 },
    { name: 'description', max: 2000 },
    { name: 'launch_date', max: 20 },
  ],
  apis: [
    { name: 'apis', max: 40, multi: true },
    ...API_KEYS.map((k) => ({ name: `calls_${k}`, max: 30 })),
    { name: 'guarantee_kind', max: 20 },
    { name: 'guarantee_amount', max: 30 },
  ],
  technical: [
    { name: 'callback_urls', max: 4000 },
    { name: 'server_ips', max: 2000 },
    { name: 'security_staff_count', max: 20 },
    { name: 'ciso_name', max: 100 },
  ],
  contacts: [
    ...CONTACT_ROLES.flatMap((r) => [
      { name: `${r}_name`, max: 100 },
      { name: `${r}_email`, max: 254 },
      { name: `${r}_phone`, max: 30 },
    ]),
    { name: 'complaint_channel', max: 300 },
    { name: 'complaint_days', max: 20 },
  ],
};

const MULTILINE_FIELDS = new Set([
  'description',
  'callback_urls',
  'server_ips',
  'sanctions_details',
  'criminal_record_details',
]);

export function sectionFieldNames(section: SectionKey): string[] {
  return FIELDS[section].map((f) => f.name);
}

/**
 * Reads one page's form body: only allow-listed fields are kept; a field sent twice (an array from the
 * form parser) or longer than allowed is a field error. These errors block even a draft save.
 */
export function readSectionForm(section: SectionKey, body: unknown): { data: SectionData; errors: FieldError[] } {
  const src = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const data: SectionData = {};
  const errors: FieldError[] = [];
  for (const f of FIELDS[section]) {
    const v = src[f.name];
    if (v === undefined) continue;
    if (f.multi) {
      const list = (Array.isArray(v) ? v : [v])
        .filter((x): x is string => typeof x === 'string')
        .map((x) => x.trim())
        .filter(Boolean);
      if (list.some((x) => x.length > f.max)) errors.push(e(f.name, 'unknown_choice'));
      data[f.name] = [...new Set(list)];
      continue;
    }
    // Numbers are harmless (the JSON API may send 42 for "42"); arrays mean the field came twice.
    if (typeof v === 'number' && Number.isFinite(v)) {
      data[f.name] = String(v);
      continue;
    }
    if (typeof v !== 'string') {
      errors.push(e(f.name, 'duplicate_field'));
      continue;
    }
    const s = MULTILINE_FIELDS.has(f.name) ? v.replace(/\r\n/g, '\n').trim() : v.trim();
    if (s.length > f.max) errors.push(e(f.name, 'too_long', { max: f.max }));
    data[f.name] = s;
  }
  if (section === 'apis') {
    const unknown = ((data.apis as string[] | undefined) ?? []).filter((k) => !API_KEYS.includes(k));
    if (unknown.length) errors.push(e('apis', 'unknown_choice'));
  }
  return { data, errors };
}

const s = (d: SectionData, k: string): string => (typeof d[k] === 'string' ? (d[k] as string) : '');
const list = (d: SectionData, k: string): string[] => (Array.isArray(d[k]) ? (d[k] as string[]) : []);

type Validator = (data: SectionData, ctx: ValidationContext) => { data: SectionData; errors: FieldError[] };

function required(out: SectionData, errors: FieldError[], field: string, key: string): string {
  const v = s(out, field);
  if (!v) errors.push(e(field, key));
  return v;
}

/**
 * A "none / some" question with details required for "some" (sanctions, criminal records). Details given with
 * "none" are not kept, so a reviewer never reads an explanation of something the applicant says did not happen.
 */
function historyAnswer(out: SectionData, errors: FieldError[], field: string, detailsField: string): void {
  const choice = s(out, field);
  if (!(HISTORY_CHOICES as readonly string[]).includes(choice)) errors.push(e(field, `${field}_required`));
  if (choice === 'some') required(out, errors, detailsField, `${detailsField}_required`);
  else delete out[detailsField];
}

/** A whole number within [min, max] typed with harmless variation ("1,000", "5일"), stored as digits. */
function wholeNumberAnswer(
  out: SectionData,
  errors: FieldError[],
  field: string,
  range: { min: number; max: number },
  params?: Record<string, string | number>,
): void {
  const raw = s(out, field);
  if (!raw) {
    errors.push(e(field, `${field}_required`, params));
    return;
  }
  const n = parseWholeNumber(raw.replace(/\s*(영업일|일|days?)$/i, ''));
  if (n === null || n < range.min || n > range.max) errors.push(e(field, `${field}_format`, params));
  else out[field] = String(n);
}

const validators: Record<SectionKey, Validator> = {
  company(input, ctx) {
    const out: SectionData = { ...input };
    const errors: FieldError[] = [];
    required(out, errors, 'legal_name', 'legal_name_required');
    const type = s(out, 'business_type');
    if (!(BUSINESS_TYPES as readonly string[]).includes(type))
      errors.push(e('business_type', 'business_type_required'));
    const brn = s(out, 'business_registration_number');
    if (!brn) errors.push(e('business_registration_number', 'brn_required'));
    else {
      const c = checkBusinessRegistrationNumber(brn);
      if (c.ok) out.business_registration_number = c.value;
      else errors.push(e('business_registration_number', c.reason === 'format' ? 'brn_format' : 'brn_check_digit'));
    }
    const crn = s(out, 'corporate_registration_number');
    if (!crn) {
      if (type === 'corporation') errors.push(e('corporate_registration_number', 'crn_required'));
    } else {
      const c = checkCorporateRegistrationNumber(crn);
      if (c.ok) out.corporate_registration_number = c.value;
      else errors.push(e('corporate_registration_number', c.reason === 'format' ? 'crn_format' : 'crn_check_digit'));
    }
    required(out, errors, 'representative', 'representative_required');
    required(out, errors, 'address', 'address_required');
    const founded = s(out, 'founded_on');
    if (!founded) errors.push(e('founded_on', 'founded_on_required'));
    else {
      const d = parseIsoDate(founded);
      if (!d) errors.push(e('founded_on', 'date_format', { example: '2020-03-15' }));
      else {
        out.founded_on = d;
        if (d > ctx.today) errors.push(e('founded_on', 'founded_on_future'));
      }
    }
    const capital = s(out, 'paid_in_capital');
    if (!capital) errors.push(e('paid_in_capital', 'capital_required'));
    else {
      const n = parseWholeNumber(capital);
      if (n === null || n < 1) errors.push(e('paid_in_capital', 'capital_format'));
      else out.paid_in_capital = String(n);
    }
    const employees = s(out, 'employees');
    if (!employees) errors.push(e('employees', 'employees_required'));
    else {
      const n = parseWholeNumber(employees);
      if (n === null || n < 1 || n > 1_000_000) errors.push(e('employees', 'employees_format'));
      else out.employees = String(n);
    }
    historyAnswer(out, errors, 'sanctions_history', 'sanctions_details');
    historyAnswer(out, errors, 'criminal_record', 'criminal_record_details');
    return { data: out, errors };
  },

  service(input, ctx) {
    const out: SectionData = { ...input };
    const errors: FieldError[] = [];
    required(out, errors, 'service_name', 'service_name_required');
    const kind = s(out, 'service_kind');
    if (!(SERVICE_KINDS as readonly string[]).includes(kind)) errors.push(e('service_kind', 'service_kind_required'));
    if (kind === 'other') required(out, errors, 'service_kind_other', 'service_kind_other_required');
    else delete out.service_kind_other;
    const desc = required(out, errors, 'description', 'description_required');
    if (desc && desc.length < 20) errors.push(e('description', 'description_short', { min: 20 }));
    const launch = s(out, 'launch_date');
    if (!launch) errors.push(e('launch_date', 'launch_date_required'));
    else {
      const d = parseIsoDate(launch);
      if (!d) errors.push(e('launch_date', 'date_format', { example: '2027-03-01' }));
      else {
        out.launch_date = d;
        if (d <= ctx.today) errors.push(e('launch_date', 'launch_date_past'));
      }
    }
    return { data: out, errors };
  },

  apis(input) {
    const out: SectionData = {};
    const errors: FieldError[] = [];
    const chosen = API_KEYS.filter((k) => list(input, 'apis').includes(k));
    out.apis = chosen;
    if (chosen.length === 0) errors.push(e('apis', 'apis_required'));
    for (const a of API_CATALOGUE) {
      const field = `calls_${a.key}`;
      const raw = s(input, field);
      if (!chosen.includes(a.key)) continue; // calls for APIs not requested are not kept
      if (!raw) {
        errors.push(e(field, 'calls_required', { api: a.key }));
        out[field] = '';
        continue;
      }
      const n = parseWholeNumber(raw);
      if (n === null || n < 1 || n > 10_000_000_000) {
        errors.push(e(field, 'calls_format', { api: a.key }));
        out[field] = raw;
      } else out[field] = String(n);
    }
    // Withdrawing from users' accounts needs a guarantee (이행보증보험 or 예치금); without the API it is not kept.
    if (chosen.includes(GUARANTEED_API)) {
      const kind = s(input, 'guarantee_kind');
      out.guarantee_kind = kind;
      out.guarantee_amount = s(input, 'guarantee_amount');
      if (!(GUARANTEE_KINDS as readonly string[]).includes(kind))
        errors.push(e('guarantee_kind', 'guarantee_kind_required'));
      wholeNumberAnswer(out, errors, 'guarantee_amount', { min: 1, max: Number.MAX_SAFE_INTEGER });
    }
    return { data: out, errors };
  },

  technical(input) {
    const out: SectionData = { ...input };
    const errors: FieldError[] = [];
    const urls = splitLines(s(input, 'callback_urls'));
    if (urls.length === 0) errors.push(e('callback_urls', 'callback_urls_required'));
    else if (urls.length > MAX_CALLBACK_URLS)
      errors.push(e('callback_urls', 'callback_urls_too_many', { max: MAX_CALLBACK_URLS }));
    else {
      // Every bad line is reported, each with its line number, so one round of corrections is enough.
      for (const [i, u] of urls.entries()) {
        const c = checkCallbackUrl(u);
        if (!c.ok) errors.push(e('callback_urls', `callback_url_${c.reason}`, { line: i + 1, url: u.slice(0, 80) }));
      }
    }
    out.callback_urls = urls.join('\n');
    const ips = splitLines(s(input, 'server_ips'));
    const normalized: string[] = [];
    if (ips.length === 0) errors.push(e('server_ips', 'server_ips_required'));
    else if (ips.length > MAX_SERVER_IPS) errors.push(e('server_ips', 'server_ips_too_many', { max: MAX_SERVER_IPS }));
    for (const [i, ip] of ips.entries()) {
      const n = normalizeIpv4OrCidr(ip);
      if (n === null) {
        if (ips.length <= MAX_SERVER_IPS)
          errors.push(e('server_ips', 'server_ip_invalid', { line: i + 1, ip: ip.slice(0, 40) }));
        normalized.push(ip);
      } else normalized.push(n);
    }
    out.server_ips = [...new Set(normalized)].join('\n');
    wholeNumberAnswer(out, errors, 'security_staff_count', { min: 0, max: 1_000_000 });
    required(out, errors, 'ciso_name', 'ciso_name_required');
    return { data: out, errors };
  },

  contacts(input) {
    const out: SectionData = { ...input };
    const errors: FieldError[] = [];
    for (const r of CONTACT_ROLES) {
      required(out, errors, `${r}_name`, `contact_name_required_${r}`);
      const email = s(out, `${r}_email`);
      if (!email) errors.push(e(`${r}_email`, `contact_email_required_${r}`));
      else if (!isEmailAddress(email)) errors.push(e(`${r}_email`, `contact_email_format_${r}`));
      else out[`${r}_email`] = email.toLowerCase();
      const phone = s(out, `${r}_phone`);
      if (!phone) errors.push(e(`${r}_phone`, `contact_phone_required_${r}`));
      else {
        const n = normalizeKoreanPhoneNumber(phone);
        if (!n) errors.push(e(`${r}_phone`, `contact_phone_format_${r}`));
        else out[`${r}_phone`] = n;
      }
    }
    required(out, errors, 'complaint_channel', 'complaint_channel_required');
    wholeNumberAnswer(out, errors, 'complaint_days', { min: 1, max: MAX_COMPLAINT_DAYS }, { max: MAX_COMPLAINT_DAYS });
    return { data: out, errors };
  },
};

/** Full validation of one section's data; returns the data normalized where fields are valid. */
export function validateSection(
  section: SectionKey,
  data: SectionData,
  ctx: ValidationContext,
): { data: SectionData; errors: FieldError[] } {
  return validators[section](data, ctx);
}

export function isSectionComplete(
  section: SectionKey,
  data: SectionData | null | undefined,
  ctx: ValidationContext,
): boolean {
  return Boolean(data) && validateSection(section, data!, ctx).errors.length === 0;
}

/** The page after this one in the form (the check page after the last). */
export function nextSection(section: SectionKey): SectionKey | 'check' {
  const i = SECTION_KEYS.indexOf(section);
  return SECTION_KEYS[i + 1] ?? 'check';
}
