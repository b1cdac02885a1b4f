// Rule: the staff review screen of an application in the security inspection sums the stage up in counts — the
// required documents uploaded (a kind counts once, however many versions it has) and the open findings — read
// without listing every version of every file (inspection.brief), and shown as the stage's own page would count.
import t from 'tap';
import { build } from '../helpers/build';
import { SAMPLE_FILES } from '../helpers/multipart';
import { applicationAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';
import { sqlDuring } from '../helpers/sql-during';
import { UploadedFile } from '../../src/uploads/multipart-upload';

const pdf = (name: string) => new UploadedFile(`${name}.pdf`, 'application/pdf', SAMPLE_FILES.pdf, false);

t.test(
  'the review screen counts the security documents by kind, not by version, without listing the files',
  async (t) => {
    const app = await build(t);
    const staged = await applicationAt(app, 'security');
    const inspector = await staffUser(app, 'inspector', 'inspector-brief@staff.example');
    const url = `/staff/applications/${staged.id}`;
    t.match((await inspector.browser.get(url)).body, '필수 서류 3개 중 0개 제출', 'nothing uploaded yet');

    const { inspection } = app.services;
    await inspection.uploadDocument(staged.owner, staged.id, 'self_assessment', pdf('a'));
    await inspection.uploadDocument(staged.owner, staged.id, 'self_assessment', pdf('b'));
    await inspection.uploadDocument(staged.owner, staged.id, 'vulnerability_scan', pdf('c'));
    const view = await inspection.view(inspector.user, staged.id);
    t.equal(view.documents.filter((d) => d.latest).length, 2, 'the stage page counts two kinds');
    const brief = await inspection.brief(inspector.user, staged.id);
    t.same(brief, { uploaded: 2, total: 3, open: 0, openCriticalOrHigh: 0 }, 'the brief counts the same');

    let body = '';
    const sql = await sqlDuring(app, async () => {
      body = (await inspector.browser.get(url)).body;
    });
    t.match(body, '필수 서류 3개 중 2개 제출', 'two of three kinds, the second version counted once');
    t.notOk(
      sql.some((s) => /from [`"]security_files[`"] as [`"]f[`"]/.test(s)),
      'the files are not listed (no read of every version)',
    );
    t.notOk(
      sql.some((s) => /security_remediations/.test(s)),
      'the remediations are not read',
    );
  },
);
