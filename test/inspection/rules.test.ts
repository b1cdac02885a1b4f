import crypto from 'node:crypto';
import t from 'tap';
import { detectFileType } from '../../src/uploads/detect-file-type';
import { attachmentDisposition, cleanFilename } from '../../src/uploads/safe-download-filename';
import { countOpenCriticalOrHigh, nextFindingStatus } from '../../src/inspection/finding-lifecycle';
import { missingDocumentKinds } from '../../src/inspection/security-documents';
import { checkUpload } from '../../src/uploads/upload-checks';
import { UploadedFile } from '../../src/uploads/multipart-upload';
import { SAMPLE_FILES } from '../helpers/multipart';

t.test('a file type is decided by its first bytes, never by its name', async (t) => {
  t.same((await detectFileType(Buffer.from('%PDF-1.7\n...', 'latin1')))?.contentType, 'application/pdf');
  t.same((await detectFileType(SAMPLE_FILES.png))?.contentType, 'image/png');
  t.same((await detectFileType(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0])))?.contentType, 'image/jpeg');
  t.equal(await detectFileType(Buffer.from('<html>%PDF-', 'latin1')), null, 'the signature must be at the start');
  t.equal(
    await detectFileType(Buffer.from('%PDF-', 'latin1')),
    null,
    'a bare signature with no content is not a document',
  );
  t.equal(await detectFileType(Buffer.from([0x89, 0x50, 0x4e, 0x47])), null, 'a truncated PNG signature');
  t.equal(
    await detectFileType(Buffer.concat([SAMPLE_FILES.png.subarray(0, 8), crypto.randomBytes(64)])),
    null,
    'a PNG signature followed by no image header is not a PNG',
  );
  t.equal(await detectFileType(Buffer.from('GIF89a....')), null, 'GIF is not allowed');
  t.equal(await detectFileType(Buffer.alloc(0)), null);
});

t.test('a stored file name has no path, control characters or quotes and ends with the proven extension', async (t) => {
  t.equal(cleanFilename('../../etc/passwd', 'pdf'), 'passwd.pdf');
  t.equal(cleanFilename('C:\\Users\\kim\\점검표.PDF', 'pdf'), '점검표.pdf');
  t.equal(cleanFilename('report.exe', 'png'), 'report.png', 'the claimed extension is replaced');
  t.equal(cleanFilename('a"b\r\n;c.pdf', 'pdf'), 'abc.pdf');
  t.equal(cleanFilename('', 'jpg'), 'document.jpg');
  t.equal(cleanFilename('...', 'pdf'), 'document.pdf');
  t.ok(cleanFilename('x'.repeat(500), 'pdf').length <= 124);
  const d = attachmentDisposition('보안 점검표.pdf');
  t.match(d, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''%EB%B3%B4/);
  t.notMatch(d, /[^\x20-\x7e]/, 'the header is ASCII only');
});

t.test('an upload is accepted only when non-empty, at most 10 MB and a proven PDF, PNG or JPEG', async (t) => {
  const pdf = Buffer.from('%PDF-1.4\nbody', 'latin1');
  const ok = await checkUpload('file', new UploadedFile('a.txt', 'text/plain', pdf, false));
  t.ok(ok.ok, 'the declared type and name do not matter');
  if (ok.ok) {
    t.equal(ok.upload.contentType, 'application/pdf');
    t.equal(ok.upload.filename, 'a.pdf');
    t.equal(ok.upload.sha256, crypto.createHash('sha256').update(pdf).digest('hex'), 'the SHA-256 of the bytes');
  }
  const tooLarge = await checkUpload('file', new UploadedFile('a.pdf', 'application/pdf', null, true));
  t.same(tooLarge.ok ? null : tooLarge.error.message, 'inspection.errors.file_too_large');
  const empty = await checkUpload('file', new UploadedFile('a.pdf', 'application/pdf', Buffer.alloc(0), false));
  t.same(empty.ok ? null : empty.error.message, 'inspection.errors.file_empty');
  const none = await checkUpload('file', null);
  t.same(none.ok ? null : none.error.message, 'inspection.errors.file_required');
  const html = await checkUpload('file', new UploadedFile('a.pdf', 'application/pdf', Buffer.from('<html>'), false));
  t.same(html.ok ? null : html.error.message, 'inspection.errors.file_type');
});

t.test('only verified (closed) findings stop counting; remediated critical or high findings still block', async (t) => {
  t.equal(
    countOpenCriticalOrHigh([
      { severity: 'critical', status: 'open' },
      { severity: 'high', status: 'remediated' },
      { severity: 'high', status: 'closed' },
      { severity: 'medium', status: 'open' },
      { severity: 'low', status: 'open' },
    ]),
    2,
  );
  t.equal(countOpenCriticalOrHigh([]), 0);
});

t.test('a finding moves open → remediated → closed, and reopens to open', async (t) => {
  t.equal(nextFindingStatus('open', 'remediate'), 'remediated');
  t.equal(nextFindingStatus('remediated', 'remediate'), 'remediated', 'a second answer is allowed');
  t.equal(nextFindingStatus('closed', 'remediate'), null, 'a closed finding takes no remediation');
  t.equal(nextFindingStatus('remediated', 'verify'), 'closed');
  t.equal(nextFindingStatus('open', 'verify'), null, 'a finding nobody answered cannot be verified');
  t.equal(nextFindingStatus('open', 'withdraw'), 'withdrawn', 'it may be withdrawn instead');
  t.equal(nextFindingStatus('remediated', 'withdraw'), 'withdrawn');
  t.equal(nextFindingStatus('closed', 'withdraw'), null, 'a verified finding stays verified');
  t.equal(nextFindingStatus('withdrawn', 'reopen'), 'open', 'a withdrawal made in error can be undone');
  t.equal(nextFindingStatus('closed', 'verify'), null);
  t.equal(nextFindingStatus('closed', 'reopen'), 'open');
  t.equal(nextFindingStatus('remediated', 'reopen'), 'open');
  t.equal(nextFindingStatus('open', 'reopen'), null);
});

t.test('the stage lists the required documents that have no version yet', async (t) => {
  t.same(missingDocumentKinds([]), ['self_assessment', 'vulnerability_scan', 'penetration_test']);
  t.same(missingDocumentKinds(['vulnerability_scan', 'remediation:abc']), ['self_assessment', 'penetration_test']);
  t.same(missingDocumentKinds(['self_assessment', 'vulnerability_scan', 'penetration_test']), []);
});
