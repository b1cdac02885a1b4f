import t from 'tap';
import crypto from 'node:crypto';
import { build, signUp } from '../helpers/build';
import { postMultipart, SAMPLE_FILES } from '../helpers/multipart';
import { stateOf } from '../helpers/security-stage';
import { applicationAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';

// Each test puts an application at its stage through the services (test/helpers/stage-shortcut.ts); the page
// journey through the earlier stages is tested once per stage. Allow for a busy machine.
t.setTimeout(360_000);

const page = (id: string) => `/applications/${id}/security`;
const upload = (id: string) => `/applications/${id}/security/documents`;
const countFiles = async (app: Awaited<ReturnType<typeof build>>) =>
  Number((await app.db('security_files').count({ n: '*' }).first())?.n);

t.test('every upload version is kept with its SHA-256', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  const v1 = Buffer.concat([Buffer.from('%PDF-1.7\nfirst', 'latin1')]);
  const v2 = Buffer.concat([Buffer.from('%PDF-1.7\nsecond', 'latin1')]);
  for (const content of [v1, v2]) {
    const r = await postMultipart(
      a.browser,
      upload(a.id),
      { kind: 'vulnerability_scan' },
      [{ filename: 'scan.pdf', content }],
      { formUrl: page(a.id) },
    );
    t.equal(r.statusCode, 303);
  }
  const rows = await app
    .db('security_files')
    .where({ application_id: a.id, slot: 'vulnerability_scan' })
    .orderBy('version');
  t.same(
    rows.map((r) => r.version),
    [1, 2],
  );
  t.same(
    rows.map((r) => r.sha256),
    [v1, v2].map((b) => crypto.createHash('sha256').update(b).digest('hex')),
  );
  const first = await a.browser.get(`${page(a.id)}/files/${rows[0].id}`);
  t.equal(first.body, v1.toString('latin1'), 'the first version is still downloadable');
  const audit = await app.db('audit_events').where({ application_id: a.id, event: 'security.document_uploaded' });
  t.equal(audit.length, 2, 'each upload is audited');
});

t.test('another organization cannot download a document (404)', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'self_assessment' },
    [{ filename: 'a.pdf', content: SAMPLE_FILES.pdf }],
    { formUrl: page(a.id) },
  );
  const file = await app.db('security_files').first();
  const other = await signUp(app, { email: 'other@else.example', organization: '다른회사' });
  t.equal((await other.get(`${page(a.id)}/files/${file.id}`)).statusCode, 404);
  t.equal((await other.get(page(a.id))).statusCode, 404, 'nor see the page');
  const res = await postMultipart(
    other,
    upload(a.id),
    { kind: 'self_assessment' },
    [{ filename: 'x.pdf', content: SAMPLE_FILES.pdf }],
    { formUrl: '/account' },
  );
  t.equal(res.statusCode, 404, 'nor upload to it');
  const inspector = await staffUser(app, 'inspector');
  t.equal(
    (await inspector.browser.get(`/staff/applications/${a.id}/security/files/${file.id}`)).statusCode,
    200,
    'staff can',
  );
  t.equal(
    (await a.browser.get(`${page(a.id)}/files/${crypto.randomUUID()}`)).statusCode,
    404,
    'an unknown file is 404',
  );
});

t.test('an upload without a CSRF token is refused', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  await a.browser.get(page(a.id));
  const res = await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'self_assessment' },
    [{ filename: 'a.pdf', content: SAMPLE_FILES.pdf }],
    { csrf: false },
  );
  t.equal(res.statusCode, 403);
  const wrong = await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'self_assessment', _csrf: 'not-the-token' },
    [{ filename: 'a.pdf', content: SAMPLE_FILES.pdf }],
    { csrf: false },
  );
  t.equal(wrong.statusCode, 403, 'a wrong token too');
  t.equal(await countFiles(app), 0);
});

t.test('the security stage can be submitted only with all three documents', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'self_assessment' },
    [{ filename: 'a.pdf', content: SAMPLE_FILES.pdf }],
    { formUrl: page(a.id) },
  );
  const res = await a.browser.post(`${page(a.id)}/submit`, {}, { formUrl: page(a.id) });
  t.equal(res.statusCode, 422);
  t.match(res.body, '취약점 점검 결과를 올리세요');
  t.equal(await stateOf(app, a.id), 'security:in_progress');
  for (const kind of ['vulnerability_scan', 'penetration_test']) {
    await postMultipart(a.browser, upload(a.id), { kind }, [{ filename: 'a.png', content: SAMPLE_FILES.png }], {
      formUrl: page(a.id),
    });
  }
  const ok = await a.browser.post(`${page(a.id)}/submit`, {}, { formUrl: page(a.id) });
  t.equal(ok.statusCode, 303);
  t.equal(await stateOf(app, a.id), 'security:submitted');
  const late = await postMultipart(
    a.browser,
    upload(a.id),
    { kind: 'self_assessment' },
    [{ filename: 'a.pdf', content: SAMPLE_FILES.pdf }],
    { formUrl: page(a.id) },
  );
  t.equal(late.statusCode, 409, 'documents are frozen while the inspector reviews');
});
