// Rule: each suitability checklist item shows what it is judged on — the submitted version's answers and the
// documents submitted with it (name, size, SHA-256, a download link for staff).
import crypto from 'node:crypto';
import t from 'tap';
import { translate } from '../../src/i18n';
import { APPLICATION_DOCUMENT_KINDS } from '../../src/onboarding/application-documents';
import { validateSection, SECTION_KEYS } from '../../src/onboarding/sections';
import { formatApplicationSummary, type Answers } from '../../src/onboarding/summary';
import { CHECKLIST_EVIDENCE, checklistEvidence } from '../../src/workflow/checklist-evidence';
import { SUITABILITY_ITEMS } from '../../src/workflow/suitability-checklist';
import { build } from '../helpers/build';
import { SAMPLE_FILES } from '../helpers/multipart';
import { VALID_ANSWERS } from '../helpers/onboarding';
import { applicationAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';

t.setTimeout(300_000);
const ko = (key: string) => translate('ko', key);
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
/** The evidence block under one checklist item on the page. */
const evidenceOf = (html: string, item: string) => {
  const start = html.indexOf(`id="evidence-${item}"`);
  if (start < 0) return '';
  const next = [html.indexOf('id="evidence-', start + 1), html.indexOf('id="answers"', start)].filter((i) => i > 0);
  return html.slice(start, Math.min(...next));
};

function validAnswers(): Answers {
  const out: Answers = {};
  for (const k of SECTION_KEYS) {
    const data = Object.fromEntries(
      Object.entries(VALID_ANSWERS[k]).map(([f, v]) => [f, typeof v === 'string' ? v : [...v]]),
    );
    out[k] = validateSection(k, data, { today: '2026-11-26' }).data;
  }
  return out;
}

t.test('every checklist item names evidence, and every answer and document kind it names exists', async (t) => {
  const summary = formatApplicationSummary(validAnswers(), 'ko');
  t.same(Object.keys(CHECKLIST_EVIDENCE).sort(), [...SUITABILITY_ITEMS].sort(), 'one entry per item');
  for (const item of SUITABILITY_ITEMS) {
    const spec = CHECKLIST_EVIDENCE[item];
    t.ok(spec.answers.length > 0, `${item} rests on at least one answer`);
    for (const { section, field } of spec.answers) {
      t.ok(
        summary.find((s) => s.key === section)?.rows.some((r) => r.field === field),
        `${item}: ${section}.${field} is an answer row`,
      );
    }
    for (const kind of spec.documents)
      t.ok((APPLICATION_DOCUMENT_KINDS as readonly string[]).includes(kind), `${item}: ${kind} is a document kind`);
  }
  t.same(
    CHECKLIST_EVIDENCE.sanctions.answers.map((a) => a.field),
    ['sanctions_history', 'criminal_record'],
  );
  t.same(CHECKLIST_EVIDENCE.withdrawal_guarantee.documents, ['guarantee_certificate']);
});

t.test(
  'an item without its document in the version marks the document missing; one not required is left out',
  async (t) => {
    const answers = validAnswers();
    const summary = formatApplicationSummary(answers, 'ko');
    const evidence = checklistEvidence(
      'withdrawal_guarantee',
      { answers: { ...answers, documents: [] }, summary },
      'ko',
      (id) => `/f/${id}`,
    );
    t.same(
      evidence.documents.map((d) => [d.kind, d.file]),
      [['guarantee_certificate', null]],
      'required and missing',
    );
    t.ok(
      evidence.answers.some((a) => a.lines.join(' ').includes('이행보증보험')),
      'the guarantee answer is shown',
    );
    const noWithdraw = { ...answers, apis: { apis: ['balance'], calls_balance: '100' } };
    const none = checklistEvidence(
      'withdrawal_guarantee',
      { answers: noWithdraw, summary: formatApplicationSummary(noWithdraw, 'ko') },
      'ko',
      (id) => `/f/${id}`,
    );
    t.same(none.documents, [], 'no guarantee proof without the withdraw API');
  },
);

t.test(
  'the staff page shows under each checklist item the submitted answers and documents with size, SHA-256 and a download link',
  async (t) => {
    const app = await build(t);
    const { id } = await applicationAt(app, 'suitability', { email: 'owner@evidence-review.example' });
    const { browser: reviewer } = await staffUser(app, 'reviewer');
    const page = await reviewer.get(`/staff/applications/${id}`);
    t.equal(page.statusCode, 200);
    const html = main(page.body);
    t.match(html, ko('workflow.checklist.evidence_title'));
    for (const item of SUITABILITY_ITEMS) t.ok(evidenceOf(html, item), `${item} shows its evidence`);

    const sanctions = evidenceOf(html, 'sanctions');
    t.match(sanctions, ko('onboarding.fields.company.sanctions_history'));
    t.match(sanctions, ko('onboarding.fields.company.criminal_record'));
    t.match(sanctions, ko('onboarding.history_choices.none'));
    const security = evidenceOf(html, 'it_security_staff');
    t.match(security, '3명');
    t.match(security, '정보안');
    const complaints = evidenceOf(html, 'complaint_handling');
    t.match(complaints, '1588-0000');
    t.match(complaints, '영업일 5일');
    const guarantee = evidenceOf(html, 'withdrawal_guarantee');
    t.match(guarantee, '이행보증보험 300,000,000원');

    const hash = crypto.createHash('sha256').update(SAMPLE_FILES.pdf).digest('hex');
    const files = await app.db('application_files').where({ application_id: id });
    const legal = evidenceOf(html, 'legal_entity');
    for (const kind of ['business_registration', 'corporate_register']) {
      const file = files.find((f) => f.slot === kind)!;
      t.match(legal, ko(`onboarding.documents.kinds.${kind}.name`), `legal_entity shows ${kind}`);
      t.match(legal, `href="/staff/applications/${id}/documents/${file.id}"`, 'with a download link');
      t.match(legal, `${kind}.pdf`, 'the file name');
    }
    t.match(legal, hash, 'the SHA-256');
    t.match(legal, /\d+ B|\d+ KB/, 'the size');
    t.match(evidenceOf(html, 'capital'), ko('onboarding.documents.kinds.financial_statements.name'));
    t.match(evidenceOf(html, 'privacy_officer'), ko('onboarding.documents.kinds.privacy_policy.name'));
    t.match(guarantee, ko('onboarding.documents.kinds.guarantee_certificate.name'));

    const guaranteeFile = files.find((f) => f.slot === 'guarantee_certificate')!;
    const dl = await reviewer.get(`/staff/applications/${id}/documents/${guaranteeFile.id}`);
    t.equal(dl.statusCode, 200, 'the reviewer downloads the document');
    t.equal(dl.headers['content-type'], 'application/pdf');
    t.match(String(dl.headers['content-disposition']), /^attachment; /);
    t.ok(Buffer.compare(dl.rawPayload, SAMPLE_FILES.pdf) === 0);
    const { browser: stranger } = await staffUser(app, 'inspector');
    t.equal(
      (await stranger.get(`/staff/applications/${id}/documents/${guaranteeFile.id}`)).statusCode,
      200,
      'any staff may read the application’s documents',
    );
    t.equal(
      (await reviewer.get(`/staff/applications/${id}/documents/00000000-0000-4000-8000-000000000000`)).statusCode,
      404,
    );
  },
);

t.test('the demo application waiting for review shows its seeded evidence', async (t) => {
  const app = await build(t, { demo: true });
  const { browser: reviewer } = await staffUser(app, 'reviewer', 'evidence-reviewer@staff.example');
  const page = await reviewer.get('/staff/applications/7e2b9d40-1a6c-4f58-b3d7-9c0e5a1f8b02');
  t.equal(page.statusCode, 200);
  const html = main(page.body);
  t.match(evidenceOf(html, 'sanctions'), '경영유의', 'the sanctions the demo applicant reported');
  t.match(evidenceOf(html, 'withdrawal_guarantee'), '예치금');
  t.match(evidenceOf(html, 'legal_entity'), '사업자등록증.pdf');
  t.notMatch(html, '⟦', 'no missing translations');
});
