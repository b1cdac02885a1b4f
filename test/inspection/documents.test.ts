import t from 'tap';
import crypto from 'node:crypto';
import { build } from '../helpers/build';
import { postMultipart, SAMPLE_FILES } from '../helpers/multipart';
import { applicationAt } from '../helpers/stage-shortcut';

// Each test puts an application at its stage through the services (test/helpers/stage-shortcut.ts); the page
// journey through the earlier stages is tested once per stage. Allow for a busy machine.
t.setTimeout(360_000);

const page = (id: string) => `/applications/${id}/security`;
const upload = (id: string) => `/applications/${id}/security/documents`;
const countFiles = async (app: Awaited<ReturnType<typeof build>>) =>
  Number((await app.db('security_files').count({ n: '*' }).first())?.n);

t.test('a PDF, PNG or JPEG is stored with its SHA-256 and can be downloaded as an attachment', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  const res = await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'self_assessment' },
    [{ filename: '자가점검표 최종.pdf', contentType: 'application/pdf', content: SAMPLE_FILES.pdf }],
    { formUrl: page(a.id) },
  );
  t.equal(res.statusCode, 303, res.body.slice(0, 500));
  const row = await app.db('security_files').first();
  t.equal(row.sha256, crypto.createHash('sha256').update(SAMPLE_FILES.pdf).digest('hex'));
  t.equal(row.content_type, 'application/pdf');
  t.equal(row.version, 1);
  t.equal(row.filename, '자가점검표 최종.pdf', 'the Korean file name is kept');
  const view = await a.browser.get(page(a.id));
  t.match(view.body, row.sha256, 'the page shows the hash');
  const dl = await a.browser.get(`${page(a.id)}/files/${row.id}`);
  t.equal(dl.statusCode, 200);
  t.equal(dl.headers['content-type'], 'application/pdf');
  t.equal(dl.headers['x-content-type-options'], 'nosniff');
  t.match(String(dl.headers['content-disposition']), /^attachment; filename="[^"]+\.pdf"; filename\*=UTF-8''/);
  t.match(String(dl.headers['content-disposition']), encodeURIComponent('자가점검표'));
  t.ok(Buffer.compare(dl.rawPayload, SAMPLE_FILES.pdf) === 0, 'the bytes come back unchanged');
  for (const [kind, file, type] of [
    ['vulnerability_scan', SAMPLE_FILES.png, 'image/png'],
    ['penetration_test', SAMPLE_FILES.jpeg, 'image/jpeg'],
  ] as const) {
    const r = await postMultipart(
      a.browser,
      upload(a.id),
      { kind },
      [{ filename: 'scan', contentType: 'application/octet-stream', content: file }],
      { formUrl: page(a.id) },
    );
    t.equal(r.statusCode, 303);
    t.equal(
      (await app.db('security_files').where({ slot: kind }).first()).content_type,
      type,
      `${type} detected from the bytes`,
    );
  }
});

t.test('a file whose content is not PDF, PNG or JPEG is refused even when named .pdf', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  const res = await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'self_assessment' },
    [{ filename: 'report.pdf', contentType: 'application/pdf', content: SAMPLE_FILES.html }],
    { formUrl: page(a.id) },
  );
  t.equal(res.statusCode, 422);
  t.match(res.body, 'error-summary');
  t.match(res.body, 'href="#file-self_assessment"');
  t.match(res.body, 'PDF, PNG 또는 JPEG 파일만');
  t.equal(await countFiles(app), 0, 'nothing is stored');
});

t.test('a document over 10 MB is refused and nothing is stored', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  const big = Buffer.concat([SAMPLE_FILES.pdf, Buffer.alloc(10 * 1024 * 1024)]);
  const res = await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'penetration_test' },
    [{ filename: 'big.pdf', contentType: 'application/pdf', content: big }],
    { formUrl: page(a.id) },
  );
  t.equal(res.statusCode, 422);
  t.match(res.body, '파일이 너무 큽니다');
  t.equal(await countFiles(app), 0);
  const exact = Buffer.concat([Buffer.from('%PDF-1.4\n', 'latin1'), Buffer.alloc(10 * 1024 * 1024 - 9)]);
  const ok = await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'penetration_test' },
    [{ filename: 'limit.pdf', content: exact }],
    { formUrl: page(a.id) },
  );
  t.equal(ok.statusCode, 303, 'exactly 10 MB is accepted');
});

t.test('an empty file or a missing file is refused with a message', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  const empty = await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'self_assessment' },
    [{ filename: 'empty.pdf', content: Buffer.alloc(0) }],
    { formUrl: page(a.id) },
  );
  t.equal(empty.statusCode, 422);
  t.match(empty.body, '빈 파일입니다');
  const none = await postMultipart(a.browser, upload(a.id), { kind: 'self_assessment' }, [], { formUrl: page(a.id) });
  t.equal(none.statusCode, 422);
  t.match(none.body, '올릴 파일을 선택하세요');
  const fake = await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'self_assessment', file: '%PDF-1.7 pretending' },
    [],
    { formUrl: page(a.id) },
  );
  t.equal(fake.statusCode, 422, 'a text field named file is not a file');
  t.equal(await countFiles(app), 0);
});
