// Pure rules of the application form: check digits, phone numbers, URLs, addresses, numbers, dates,
// the API catalogue, the task list and which sections may be edited.
import t from 'tap';
import {
  businessRegistrationCheckDigit,
  checkBusinessRegistrationNumber,
  formatBusinessRegistrationNumber,
} from '../../src/onboarding/business-registration-number';
import {
  checkCorporateRegistrationNumber,
  corporateRegistrationCheckDigit,
} from '../../src/onboarding/corporate-registration-number';
import { normalizeKoreanPhoneNumber } from '../../src/onboarding/korean-phone-number';
import { checkCallbackUrl, splitLines } from '../../src/onboarding/callback-urls';
import { ipMatches, normalizeIpv4OrCidr } from '../../src/onboarding/ip-addresses';
import { koreanToday, parseIsoDate, parseWholeNumber } from '../../src/onboarding/form-values';
import { API_CATALOGUE, apiForPath, impliedScopes } from '../../src/onboarding/api-catalogue';
import { buildTaskList } from '../../src/onboarding/task-list';
import { canEditSection, editableSections } from '../../src/onboarding/section-editing';
import { readSectionForm, validateSection } from '../../src/onboarding/sections';
import { requiredDeclarations } from '../../src/onboarding/declarations';
import { formatReference } from '../../src/onboarding/reference-number';

t.test(
  'a business registration number with a correct check digit is accepted and normalized to 10 digits',
  async (t) => {
    t.same(checkBusinessRegistrationNumber('220-81-62517'), { ok: true, value: '2208162517' });
    t.same(checkBusinessRegistrationNumber('2208162517'), { ok: true, value: '2208162517' });
    t.equal(businessRegistrationCheckDigit('220816251'), 7);
    t.equal(formatBusinessRegistrationNumber('2208162517'), '220-81-62517');
  },
);

t.test('hyphens and spaces are accepted in the business registration number', async (t) => {
  t.same(checkBusinessRegistrationNumber(' 220 81 62517 '), { ok: true, value: '2208162517' });
  t.same(checkBusinessRegistrationNumber('220-81 - 62517'), { ok: true, value: '2208162517' });
});

t.test('a business registration number with a wrong check digit is refused', async (t) => {
  for (let d = 0; d <= 9; d++) {
    if (d === 7) continue;
    t.same(checkBusinessRegistrationNumber(`220-81-6251${d}`), { ok: false, reason: 'check_digit' }, `last digit ${d}`);
  }
});

t.test('a business registration number that is not 10 digits is a format error', async (t) => {
  for (const bad of ['', '220-81-6251', '220-81-625177', '22O-81-62517', '220/81/62517']) {
    t.same(checkBusinessRegistrationNumber(bad), { ok: false, reason: 'format' }, bad);
  }
});

t.test('the business registration check digit adds the carry of the ninth digit times five', async (t) => {
  // 9th digit 9: 9×5 = 45 → ⌊45/10⌋ = 4 is added to the weighted sum.
  const first9 = '123456789';
  const weighted = [1, 3, 7, 1, 3, 7, 1, 3, 5].reduce((s, w, i) => s + w * Number(first9[i]), 0);
  t.equal(businessRegistrationCheckDigit(first9), (10 - ((weighted + 4) % 10)) % 10);
});

t.test('a corporate registration number with a correct check digit is accepted; a wrong one is refused', async (t) => {
  t.equal(corporateRegistrationCheckDigit('110111123456'), 9);
  t.same(checkCorporateRegistrationNumber('110111-1234569'), { ok: true, value: '1101111234569' });
  t.same(checkCorporateRegistrationNumber('110111 1234569'), { ok: true, value: '1101111234569' });
  t.same(checkCorporateRegistrationNumber('110111-1234560'), { ok: false, reason: 'check_digit' });
  t.same(checkCorporateRegistrationNumber('110111-123456'), { ok: false, reason: 'format' });
});

t.test('Korean phone numbers are accepted in common formats and normalized with hyphens', async (t) => {
  const cases: [string, string | null][] = [
    ['02-123-4567', '02-123-4567'],
    ['0212345678', '02-1234-5678'],
    ['010-1234-5678', '010-1234-5678'],
    ['010 1234 5678', '010-1234-5678'],
    ['+82 10-1234-5678', '010-1234-5678'],
    ['(031) 987-6543', '031-987-6543'],
    ['1588-1234', '1588-1234'],
    ['070-1234-5678', '070-1234-5678'],
    ['0505-123-4567', '0505-123-4567'],
    ['123-4567', null],
    ['010-12-345', null],
    ['099-123-4567', null],
    ['phone', null],
    ['+1 415 555 0100', null],
  ];
  for (const [input, expected] of cases) t.equal(normalizeKoreanPhoneNumber(input), expected, input);
});

t.test('callback URLs must be https, or http only on localhost and 127.0.0.1, without fragments', async (t) => {
  t.ok(checkCallbackUrl('https://pay.example/cb').ok);
  t.ok(checkCallbackUrl('http://localhost:8080/callback').ok);
  t.ok(checkCallbackUrl('http://127.0.0.1/cb').ok);
  t.same(checkCallbackUrl('http://pay.example/cb'), { ok: false, reason: 'scheme' });
  t.same(checkCallbackUrl('http://localhost.evil.example/cb'), { ok: false, reason: 'scheme' });
  t.same(checkCallbackUrl('ftp://pay.example/cb'), { ok: false, reason: 'scheme' });
  t.same(checkCallbackUrl('https://pay.example/cb#x'), { ok: false, reason: 'fragment' });
  t.same(checkCallbackUrl('https://user:pw@pay.example/cb'), { ok: false, reason: 'userinfo' });
  t.same(checkCallbackUrl('not a url'), { ok: false, reason: 'invalid' });
  t.same(splitLines(' a \n\n b\r\na\n'), ['a', 'b'], 'blank lines and duplicates are dropped');
});

t.test('server addresses are IPv4 addresses or IPv4 CIDR blocks', async (t) => {
  t.equal(normalizeIpv4OrCidr('203.0.113.10'), '203.0.113.10');
  t.equal(normalizeIpv4OrCidr('203.0.113.0 / 24'), '203.0.113.0/24');
  for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4/33', '01.2.3.4', '::1', '1.2.3.4/24/1', 'example.com'])
    t.equal(normalizeIpv4OrCidr(bad), null, bad);
  t.ok(ipMatches('203.0.113.0/24', '203.0.113.77'));
  t.notOk(ipMatches('203.0.113.0/24', '203.0.114.1'));
  t.ok(ipMatches('127.0.0.1', '127.0.0.1'));
  t.ok(ipMatches('0.0.0.0/0', '8.8.8.8'));
});

t.test('whole numbers accept commas and spaces; dates accept dots and slashes and must exist', async (t) => {
  t.equal(parseWholeNumber('1,000,000'), 1_000_000);
  t.equal(parseWholeNumber('500 000 000원'), 500_000_000);
  t.equal(parseWholeNumber('1.5'), null);
  t.equal(parseWholeNumber('-3'), null);
  t.equal(parseIsoDate('2020.3.15.'), '2020-03-15');
  t.equal(parseIsoDate('2020/03/15'), '2020-03-15');
  t.equal(parseIsoDate('20200315'), '2020-03-15');
  t.equal(parseIsoDate('2021-02-29'), null);
  t.equal(parseIsoDate('15/03/2020'), null);
  t.equal(koreanToday(new Date('2026-11-26T15:30:00Z')), '2026-11-27', 'the day changes at midnight in Seoul');
});

t.test(
  'the API catalogue implies scopes: inquiry APIs need inquiry+login, withdraw transfer+login, the rest oob',
  async (t) => {
    t.equal(API_CATALOGUE.length, 8);
    t.same(impliedScopes(['balance']), ['login', 'inquiry']);
    t.same(impliedScopes(['transaction_list', 'withdraw']), ['login', 'inquiry', 'transfer']);
    t.same(impliedScopes(['real_name', 'remit_list', 'receive', 'deposit', 'transfer_result']), ['oob']);
    t.same(impliedScopes([]), []);
    t.equal(apiForPath('POST', '/v2.0/transfer/deposit/acnt_num')?.key, 'deposit');
    t.equal(apiForPath('GET', '/v2.0/account/balance/fin_num?bank_tran_id=1')?.key, 'balance');
    t.equal(apiForPath('GET', '/v2.0/inquiry/real_name'), undefined, 'the method matters');
  },
);

t.test('declarations required follow the requested APIs', async (t) => {
  t.same(requiredDeclarations(['real_name']), ['accuracy']);
  t.same(requiredDeclarations(['balance']), ['accuracy', 'inquiry_consent']);
  t.same(requiredDeclarations(['balance', 'withdraw']), ['accuracy', 'inquiry_consent', 'withdrawal_consent']);
});

t.test('references are OB-<year>-<6 digits>', async (t) => {
  t.equal(formatReference(2026, 1), 'OB-2026-000001');
  t.equal(formatReference(2027, 123456), 'OB-2027-123456');
});

t.test('the task list greys out stages that cannot start yet and never links them', async (t) => {
  const sections = [{ key: 'company' as const, status: 'completed' as const, href: '/x' }];
  const draft = buildTaskList({
    application: { id: 'a', stage: 'application', status: 'draft' },
    sections,
    applicationHref: '/check',
  });
  t.same(
    draft.map((g) => g.status),
    ['in_progress', 'cannot_start_yet', 'cannot_start_yet', 'cannot_start_yet', 'cannot_start_yet'],
  );
  t.same(
    draft.slice(1).map((g) => g.href),
    [undefined, undefined, undefined, undefined],
  );
  const testing = buildTaskList({
    application: { id: 'a', stage: 'testing', status: 'in_progress' },
    sections,
    overrides: { testing: { href: '/t' }, security: { href: '/s' } },
  });
  t.same(
    testing.map((g) => g.status),
    ['completed', 'completed', 'in_progress', 'cannot_start_yet', 'cannot_start_yet'],
  );
  t.equal(testing[2]!.href, '/t', 'the workflow can link its stages');
  t.equal(testing[3]!.href, undefined, 'a stage that cannot start is never a link');
  const back = buildTaskList({ application: { id: 'a', stage: 'suitability', status: 'changes_requested' }, sections });
  t.same(
    back.slice(0, 2).map((g) => g.status),
    ['changes_requested', 'changes_requested'],
  );
});

t.test('only a draft, or the sections named in a change request, can be edited', async (t) => {
  t.same(editableSections({ stage: 'application', status: 'draft', changes_requested_sections: null }), [
    'company',
    'service',
    'apis',
    'technical',
    'contacts',
  ]);
  t.same(editableSections({ stage: 'suitability', status: 'submitted', changes_requested_sections: null }), []);
  const cr = {
    stage: 'suitability',
    status: 'changes_requested',
    changes_requested_sections: '["technical","nonsense","company"]',
  };
  t.same(editableSections(cr), ['company', 'technical']);
  t.ok(canEditSection(cr, 'technical'));
  t.notOk(canEditSection(cr, 'apis'));
  t.same(editableSections({ ...cr, changes_requested_sections: 'not json' }), []);
  t.same(
    editableSections({ stage: 'testing', status: 'changes_requested', changes_requested_sections: '["company"]' }),
    [],
    'later stages never reopen the form',
  );
});

t.test('only allow-listed fields are read from a page, and a field sent twice is an error', async (t) => {
  const r = readSectionForm('company', { legal_name: ' 회사 ', is_admin: 'yes', _csrf: 'x', employees: ['1', '2'] });
  t.same(r.data, { legal_name: '회사' });
  t.same(r.errors, [{ field: 'employees', message: 'onboarding.errors.duplicate_field' }]);
  t.same(
    readSectionForm('company', { employees: 42, legal_name: { nested: true } }),
    { data: { employees: '42' }, errors: [{ field: 'legal_name', message: 'onboarding.errors.duplicate_field' }] },
    'numbers are read as text; objects are refused',
  );
  const apis = readSectionForm('apis', { apis: ['balance', 'balance', 'bogus'] });
  t.same(apis.data.apis, ['balance', 'bogus']);
  t.same(
    apis.errors.map((e) => e.field),
    ['apis'],
    'unknown APIs are refused',
  );
});

t.test('a corporation needs its corporate registration number; a sole proprietor may leave it out', async (t) => {
  const base = {
    legal_name: 'x',
    business_registration_number: '2208162517',
    representative: 'r',
    address: 'a',
    founded_on: '2020-01-01',
    paid_in_capital: '1',
    employees: '1',
    sanctions_history: 'none',
    criminal_record: 'none',
  };
  const ctx = { today: '2026-11-26' };
  t.same(
    validateSection('company', { ...base, business_type: 'corporation' }, ctx).errors.map((e) => e.message),
    ['onboarding.errors.crn_required'],
  );
  t.same(validateSection('company', { ...base, business_type: 'sole_proprietor' }, ctx).errors, []);
  t.same(
    validateSection(
      'company',
      { ...base, business_type: 'sole_proprietor', corporate_registration_number: '123' },
      ctx,
    ).errors.map((e) => e.message),
    ['onboarding.errors.crn_format'],
    'given, it must still be valid',
  );
});

t.test('the founding date cannot be in the future and the launch date must be', async (t) => {
  const ctx = { today: '2026-11-26' };
  const company = {
    legal_name: 'x',
    business_type: 'sole_proprietor',
    business_registration_number: '2208162517',
    representative: 'r',
    address: 'a',
    paid_in_capital: '1',
    employees: '1',
    sanctions_history: 'none',
    criminal_record: 'none',
  };
  t.same(
    validateSection('company', { ...company, founded_on: '2026-11-27' }, ctx).errors.map((e) => e.message),
    ['onboarding.errors.founded_on_future'],
  );
  t.same(validateSection('company', { ...company, founded_on: '2026-11-26' }, ctx).errors, []);
  const service = {
    service_name: 's',
    service_kind: 'p2p',
    description: '충분히 긴 서비스 설명입니다. 스무 글자를 넘깁니다.',
  };
  t.same(
    validateSection('service', { ...service, launch_date: '2026-11-26' }, ctx).errors.map((e) => e.message),
    ['onboarding.errors.launch_date_past'],
  );
  t.same(validateSection('service', { ...service, launch_date: '2026-11-27' }, ctx).errors, []);
});
