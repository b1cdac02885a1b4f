import t from 'tap';
import { build } from '../helpers/build';
import { postMultipart, SAMPLE_FILES } from '../helpers/multipart';
import { applicationAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';
import { cleanFilename, displayFilename } from '../../src/uploads/safe-download-filename';

t.setTimeout(360_000);

// Every Unicode format character (Cf) that reorders or hides text, plus controls and separators.
const INVISIBLES = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u00AD',
  '\u2028',
  '\u2029',
  '\u0085',
];
const SPOOFED = 'invoice\u202Efdp.exe';
const HIDDEN = new RegExp(`[${INVISIBLES.join('')}]|%E2%80%AE|&#x202e;|&#8238;`, 'i');

t.test(
  'an uploaded file name loses its bidi controls and other format characters, so staff never see a spoofed extension',
  async (t) => {
    const app = await build(t);
    const a = await applicationAt(app, 'security');
    const page = `/applications/${a.id}/security`;
    const res = await postMultipart(
      a.browser,
      `${page}/documents`,
      { kind: 'self_assessment' },
      [{ filename: `${SPOOFED}.pdf`, contentType: 'application/pdf', content: SAMPLE_FILES.pdf }],
      { formUrl: page },
    );
    t.equal(res.statusCode, 303);
    const row = await app.db('security_files').first();
    t.equal(row.filename, 'invoicefdp.exe.pdf', 'stored without U+202E: what you see is the real order');
    const inspector = await staffUser(app, 'inspector');
    const staffPage = await inspector.browser.get(`/staff/applications/${a.id}/security`);
    t.equal(staffPage.statusCode, 200);
    t.notMatch(staffPage.body, HIDDEN);
    t.match(staffPage.body, 'invoicefdp.exe.pdf');
    const dl = await inspector.browser.get(`/staff/applications/${a.id}/security/files/${row.id}`);
    t.notMatch(String(dl.headers['content-disposition']), HIDDEN);
  },
);

t.test('a file name stored before the rule is cleaned on display and in downloads', async (t) => {
  const app = await build(t);
  const a = await applicationAt(app, 'security');
  const page = `/applications/${a.id}/security`;
  await postMultipart(
    a.browser,
    `${page}/documents`,
    { kind: 'self_assessment' },
    [{ filename: 'plain.pdf', contentType: 'application/pdf', content: SAMPLE_FILES.pdf }],
    { formUrl: page },
  );
  const row = await app.db('security_files').first();
  await app
    .db('security_files')
    .where({ id: row.id })
    .update({ filename: `${SPOOFED}\u2066.pdf` }); // as an older version stored it
  const inspector = await staffUser(app, 'inspector');
  const staffPage = await inspector.browser.get(`/staff/applications/${a.id}/security`);
  t.notMatch(staffPage.body, HIDDEN);
  t.match(staffPage.body, 'invoicefdp.exe.pdf');
  const applicantPage = await a.browser.get(page);
  t.notMatch(applicantPage.body, HIDDEN);
  const dl = await inspector.browser.get(`/staff/applications/${a.id}/security/files/${row.id}`);
  t.equal(dl.statusCode, 200);
  t.notMatch(String(dl.headers['content-disposition']), HIDDEN);
  t.match(String(dl.headers['content-disposition']), 'invoicefdp.exe.pdf');
});

t.test('every format, control and separator character is stripped from names', async (t) => {
  for (const c of INVISIBLES) {
    t.equal(
      cleanFilename(`a${c}b.pdf`, 'pdf'),
      'ab.pdf',
      `U+${c.codePointAt(0)!.toString(16).toUpperCase()} on upload`,
    );
    t.equal(displayFilename(`a${c}b.pdf`), 'ab.pdf', `U+${c.codePointAt(0)!.toString(16).toUpperCase()} on display`);
  }
  t.equal(cleanFilename('자가점검표 최종.pdf', 'pdf'), '자가점검표 최종.pdf', 'Korean names are kept');
  t.equal(displayFilename('\u202E'), 'document', 'a name of nothing but format characters becomes "document"');
});
