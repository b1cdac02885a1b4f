// Rules: the signed contract downloads as a PDF in the reader's language (Korean set in the embedded Korean
// font), its SHA-256 shown on both contract pages is that of the downloaded bytes and never changes for the
// same contract; only those who may read the contract get it, and only once the owner has signed. Once live,
// the applicant's page shows the production credential card, marked as not accepted by the test bed.
import crypto from 'node:crypto';
import t from 'tap';
import { PDFParse } from 'pdf-parse';
import { Browser, build, signUp } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { manualClock, staffUser } from '../helpers/workflow';
import { renderContractPdf, sha256Hex, wrapText } from '../../src/contract/contract-pdf';

// Each test puts an application at its stage through the services (test/helpers/stage-shortcut.ts); the page
// journey through the earlier stages is tested once per stage. Allow for a busy machine.
t.setTimeout(360_000);

const page = (id: string) => `/applications/${id}/contract`;
const staffPage = (id: string) => `/staff/applications/${id}/contract`;
const sha256 = (body: Buffer) => crypto.createHash('sha256').update(body).digest('hex');

async function sign(b: Browser, id: string) {
  const res = await b.post(`${page(id)}/sign`, { full_name: '김테스트', accept: 'yes' }, { formUrl: page(id) });
  if (res.statusCode !== 303) throw new Error(`sign failed: ${res.statusCode}`);
}
async function pdfText(body: Buffer): Promise<{ text: string; pages: number }> {
  const parser = new PDFParse({ data: new Uint8Array(body) });
  try {
    const r = await parser.getText();
    return { text: r.text, pages: r.total };
  } finally {
    await parser.destroy();
  }
}
function shownHash(html: string): string | undefined {
  return /id="contract-pdf-sha256">([0-9a-f]{64})</.exec(html)?.[1];
}

t.test(
  'the signed contract downloads as a Korean PDF with both parties, the requested APIs and the signature',
  async (t) => {
    const clock = manualClock('2026-11-20T01:00:00.000Z');
    const app = await build(t, { clock });
    const a = await applicationAt(app, 'contract');
    clock.set('2026-11-26T05:30:00.000Z');
    await sign(a.browser, a.id);
    const res = await a.browser.get(`${page(a.id)}.pdf`);
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-type'], 'application/pdf');
    t.match(String(res.headers['content-disposition']), /^attachment; filename="[^"]+\.pdf"; filename\*=UTF-8''/);
    t.match(
      decodeURIComponent(String(res.headers['content-disposition']).split("''")[1]!),
      /^오픈뱅킹 이용계약서 OB-\d{4}-\d{6}-C1\.pdf$/,
    );
    t.equal(res.headers['cache-control'], 'private, no-store');
    t.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');

    const { text } = await pdfText(res.rawPayload);
    for (const s of [
      '오픈뱅킹 공동업무 이용계약서',
      '금융결제원',
      '주식회사 테스트핀테크',
      '214-87-12348',
      '김대표',
      '잔액조회',
      '출금이체',
      '건당 50원',
      '2026-1',
    ])
      t.match(text, s, `the PDF says ${s}`);
    t.match(text, /김테스트/, 'the typed name');
    t.match(text, '2026년 11월 26일 오후 2:30', 'the signing time in Korean time');
    t.match(text, '127.0.0.1', 'the signer’s IP');
    t.match(text, '금융결제원의 확인 서명을 기다리고 있습니다', 'not countersigned yet');
    for (const english of ['Open Banking Joint Service Agreement', 'Balance inquiry', 'Article 1'])
      t.notMatch(text, english, `no English in the Korean PDF: ${english}`);

    const en = await a.browser.get(`${page(a.id)}.pdf?lang=en`);
    t.equal(en.statusCode, 200);
    const english = (await pdfText(en.rawPayload)).text;
    for (const s of [
      'Open Banking Joint Service Agreement',
      'Korea Financial Telecommunications & Clearings Institute',
      '주식회사 테스트핀테크',
      'Balance inquiry',
      'Withdrawal transfer',
      '26 Nov 2026, 14:30 (KST)',
    ])
      t.match(english, s, `the English PDF says ${s}`);
    t.notMatch(english, '오픈뱅킹 공동업무 이용계약서');
  },
);

t.test(
  'the SHA-256 on both contract pages is that of the downloaded PDF, the same on every download, and audited',
  async (t) => {
    const clock = manualClock('2026-11-20T01:00:00.000Z');
    const app = await build(t, { clock });
    const a = await applicationAt(app, 'contract');
    await sign(a.browser, a.id);

    const signedPage = await a.browser.get(page(a.id));
    const shown = shownHash(signedPage.body);
    t.ok(shown, 'the applicant page shows the PDF hash');
    t.match(signedPage.body, `href="${page(a.id)}.pdf"`, 'next to the download link');
    const first = await a.browser.get(`${page(a.id)}.pdf`);
    const second = await a.browser.get(`${page(a.id)}.pdf`);
    t.equal(sha256(first.rawPayload), shown, 'the page shows the hash of the downloaded bytes');
    t.equal(sha256(second.rawPayload), shown, 'a second download is byte-for-byte the same');

    const officer = await staffUser(app, 'contract_officer');
    const beforeCountersign = await officer.browser.get(staffPage(a.id));
    t.equal(shownHash(beforeCountersign.body), shown, 'the staff page shows the same hash');
    t.equal(
      sha256((await officer.browser.get(`${staffPage(a.id)}.pdf`)).rawPayload),
      shown,
      'staff download the same PDF',
    );

    clock.set('2026-11-26T16:00:00.000Z');
    const countersigned = await officer.browser.post(
      `${staffPage(a.id)}/countersign`,
      { note: '계약 조건 확인 완료' },
      { formUrl: staffPage(a.id) },
    );
    t.equal(countersigned.statusCode, 303);
    const staffView = await officer.browser.get(staffPage(a.id));
    const final = shownHash(staffView.body);
    t.ok(final && final !== shown, 'countersigning gives the PDF a new hash');
    const finalPdf = await officer.browser.get(`${staffPage(a.id)}.pdf`);
    t.equal(sha256(finalPdf.rawPayload), final);
    const applicantFinal = await a.browser.get(`${page(a.id)}.pdf`);
    t.equal(sha256(applicantFinal.rawPayload), final, 'the applicant downloads the same countersigned PDF');
    t.equal(shownHash((await a.browser.get(page(a.id))).body), final);
    const finalText = (await pdfText(finalPdf.rawPayload)).text;
    t.match(finalText, 'contract_officer 직원', 'the countersigner');
    t.match(finalText, '2026년 11월 27일 오전 1:00', 'the countersigning time in Korean time');
    t.match(finalText, '효력 발생일 2026-11-27');

    const row = await app.db('contracts').where({ application_id: a.id }).first();
    t.equal(row.pdf_sha256_ko, final, 'the hash is recorded');
    t.equal(row.pdf_recorded_for, 'countersigned');
    const en = await a.browser.get(`${page(a.id)}.pdf?lang=en`);
    t.equal(sha256(en.rawPayload), row.pdf_sha256_en, 'the English PDF’s hash is recorded too');
    const audit = await app
      .db('audit_events')
      .where({ application_id: a.id, event: 'contract.pdf_recorded' })
      .orderBy('created_at');
    t.equal(audit.length, 2, 'recorded once when signed and once when countersigned');
    const data = audit.map((e) => JSON.parse(e.data));
    t.same(
      data.map((d) => [d.contractStatus, d.pdfSha256Ko]),
      [
        ['signed', shown],
        ['countersigned', final],
      ],
    );
  },
);

t.test(
  'only members of the organization and contract staff get the PDF, and only once the owner has signed',
  async (t) => {
    const app = await build(t);
    const a = await applicationAt(app, 'contract');
    const url = `${page(a.id)}.pdf`;

    const unsigned = await a.browser.get(url);
    t.equal(unsigned.statusCode, 404, 'no PDF before the owner signs');
    const draft = await a.browser.get(page(a.id));
    t.notMatch(draft.body, `href="${url}"`, 'no download link before signing');
    t.match(draft.body, '기관 소유자가 서명한 뒤에 PDF로 내려받을 수 있습니다');
    t.notOk(shownHash(draft.body));

    await sign(a.browser, a.id);
    const stranger = await signUp(app, { email: 'owner@other-fintech.example', organization: '다른핀테크' });
    t.equal((await stranger.get(page(a.id))).statusCode, 404, 'another organization cannot read the contract page');
    t.equal((await stranger.get(url)).statusCode, 404, 'nor download its PDF');
    const anonymous = await new Browser(app).get(url);
    t.equal(anonymous.statusCode, 303, 'an anonymous visitor is sent to sign in');
    t.match(String(anonymous.headers.location), /^\/login\?next=/);
    const reviewer = await staffUser(app, 'reviewer', 'reviewer-pdf@staff.example');
    t.equal(
      (await reviewer.browser.get(`${staffPage(a.id)}.pdf`)).statusCode,
      403,
      'staff who may not read the contract cannot download it',
    );
    const officer = await staffUser(app, 'contract_officer');
    const redirected = await officer.browser.get(url);
    t.equal(redirected.statusCode, 303, 'staff are sent to the staff address');
    t.equal(redirected.headers.location, `${staffPage(a.id)}.pdf`);
    t.equal((await officer.browser.get(`${staffPage(a.id)}.pdf`)).statusCode, 200);
  },
);

t.test(
  'the live panel shows the production credentials only once live, marked as not accepted by the test bed',
  async (t) => {
    const app = await build(t);
    const a = await applicationAt(app, 'contract');
    await sign(a.browser, a.id);
    const before = await a.browser.get(page(a.id));
    t.notMatch(before.body, '운영 자격증명', 'no live panel before the countersignature');

    const officer = await staffUser(app, 'contract_officer');
    t.equal(
      (await officer.browser.post(`${staffPage(a.id)}/countersign`, { note: '확인' }, { formUrl: staffPage(a.id) }))
        .statusCode,
      303,
    );
    const org = (await app.db('applications').where({ id: a.id }).first()).organization_id;
    const production = await app
      .db('credential_sets')
      .where({ organization_id: org, environment: 'production' })
      .first();
    const live = await a.browser.get(page(a.id));
    t.equal(live.statusCode, 200);
    t.match(live.body, '운영 자격증명: 테스트베드에서는 사용할 수 없습니다');
    t.match(live.body, production.client_id, 'the production client_id');
    t.match(live.body, production.client_use_code, 'the institution code');
    t.match(live.body, 'https://openapi.openbanking.or.kr', 'the production base URL');
    t.match(live.body, /<ol class="live-next-steps">(\s*<li>[^<]+<\/li>){4}\s*<\/ol>/, 'four next steps');
    t.notMatch(live.body, /client_secret"?\s*[:=]|secret_hash/i, 'no secret');
    for (const english of ['Open Banking Joint Service Agreement', 'Production credentials', 'Article 1'])
      t.notMatch(live.body, english, `no English on the Korean page: ${english}`);

    const en = await a.browser.get(`${page(a.id)}?lang=en`);
    t.match(en.body, 'Production credentials: not accepted by the test bed');
    t.notMatch(en.body, '운영 자격증명');
    const staffView = await officer.browser.get(staffPage(a.id));
    t.notMatch(staffView.body, production.client_id, 'the staff contract page has no live panel');
  },
);

t.test(
  'the PDF is a pure function of the contract: long text wraps onto further pages, the same bytes every time',
  async (t) => {
    const contract = {
      version: 2,
      documentSha256: 'a'.repeat(64),
      signerName: '김테스트',
      signedAt: '2026-11-26T05:30:00.000Z',
      signerIp: '203.0.113.9',
      countersignerName: null,
      countersignedAt: null,
      effectiveDate: null,
      document: {
        termsVersion: '2026-1',
        applicationReference: 'OB-2026-000042',
        applicationVersion: 3,
        currency: 'KRW' as const,
        organization: {
          legalName: '주식회사 아주긴이름을가진핀테크'.repeat(6),
          businessRegistrationNumber: '2148712348',
          representative: '김대표',
          address: '서울특별시 중구 세종대로 1 '.repeat(12),
        },
        service: { name: '긴 서비스 이름 '.repeat(40), description: '' },
        apis: [{ key: 'balance', feePerCall: 20, monthlyCalls: 100000 }],
        fees: Array.from({ length: 60 }, (_, i) => ({ callType: i % 2 ? 'withdraw' : 'deposit', feePerCall: 50 })),
      },
    };
    const one = await renderContractPdf('ko', contract);
    const two = await renderContractPdf('ko', contract);
    t.equal(sha256Hex(one), sha256Hex(two), 'byte-for-byte the same');
    const { pages, text } = await pdfText(Buffer.from(one));
    t.ok(pages >= 3, `flows onto ${pages} pages`);
    t.match(text, 'OB-2026-000042-C2', 'the contract number');
    t.match(text, `3 / ${pages}쪽`, 'numbered pages');
    const fonts = {
      widthOfTextAtSize: (s: string, size: number) => Array.from(s).length * size,
    } as unknown as Parameters<typeof wrapText>[1];
    t.same(
      wrapText('가나다 라마 바사아자차카', fonts, 10, 50),
      ['가나다', '라마', '바사아자차', '카'],
      'breaks between words, and inside a word only when it is wider than the line',
    );
  },
);
