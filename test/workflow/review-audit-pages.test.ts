// Rule: the staff review screen shows the audit trail a bounded page at a time (PAGE_SIZE_DEFAULT events, oldest
// first, keyset cursors ?audit_after= / ?audit_before=) with links to later and earlier events and back to the
// first page, in Korean and English; the decision timeline above it still lists every decision; a cursor the
// trail did not issue shows the first page.
import t from 'tap';
import { build, Browser } from '../helpers/build';
import { DEMO_APPLICATION_IDS } from '../../seeds/02_applications';
import { PAGE_SIZE_DEFAULT } from '../../src/pagination/cursor';

const trailRows = (html: string) => {
  const table = /<h2 id="audit">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>/g)].length;
};
const link = (html: string, rel: string) =>
  /<nav class="pagination" aria-label="[^"]*">[\s\S]*?<\/nav>/
    .exec(html)?.[0]
    .match(new RegExp(`href="([^"]+)" rel="${rel}"`))?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&#x3D;/g, '=');

t.test('the review screen pages the audit trail by cursor, every decision still shown', async (t) => {
  const app = await build(t, { demo: true });
  const id = DEMO_APPLICATION_IDS.demoFintech;
  const before = Number((await app.db('audit_events').where({ application_id: id }).count({ n: '*' }))[0]!.n);
  const extra = 2 * PAGE_SIZE_DEFAULT + 7 - before;
  for (let i = 0; i < extra; i++)
    await app.services.audit.record({
      applicationId: id,
      actor: { userId: null, label: 'system' },
      event: 'application.internal_note',
      reason: `메모 ${i}`,
      internal: i % 2 === 0,
    });
  const total = before + extra;
  const decisions = await app.services.audit.decisionsForApplication(id);
  t.ok(decisions.length >= 1, `the demo application has decisions (${decisions.length})`);

  const reviewer = new Browser(app);
  await reviewer.login('reviewer@portal.example');
  const first = await reviewer.get(`/staff/applications/${id}`);
  t.equal(first.statusCode, 200);
  t.equal(trailRows(first.body), PAGE_SIZE_DEFAULT, `the first page shows ${PAGE_SIZE_DEFAULT} of ${total} events`);
  t.match(first.body, '이후 기록 더 보기', 'the Korean "more" label');
  t.equal(
    [...first.body.matchAll(/<ol class="timeline">[\s\S]*?<\/ol>/g)][0]?.[0].match(/<li>/g)?.length,
    decisions.length,
    'every decision in the timeline',
  );
  t.notOk(link(first.body, 'prev'), 'no earlier events on the first page');

  const second = await reviewer.get(link(first.body, 'next')!);
  t.equal(second.statusCode, 200, 'the "more" link works');
  t.equal(trailRows(second.body), PAGE_SIZE_DEFAULT, 'the second page is full');
  t.match(second.body, '처음 기록부터 보기', 'a link back to the first events');
  const third = await reviewer.get(link(second.body, 'next')!);
  t.equal(trailRows(third.body), total - 2 * PAGE_SIZE_DEFAULT, 'the last page holds the rest');
  t.notOk(link(third.body, 'next'), 'no later events after the last page');
  const back = await reviewer.get(link(third.body, 'prev')!);
  t.equal(trailRows(back.body), PAGE_SIZE_DEFAULT, 'the "earlier" link works');
  t.match(back.body, '메모', 'the trail shows the events');

  const english = await reviewer.get(`/staff/applications/${id}?lang=en`);
  t.match(english.body, 'More: later events', 'the English "more" label');

  for (const bad of ['nonsense', 'eyJ4IjoxfQ', 'a'.repeat(500)]) {
    const res = await reviewer.get(`/staff/applications/${id}?audit_after=${bad}`);
    t.equal(res.statusCode, 200, `a cursor the trail did not issue (${bad.slice(0, 20)}): the first page`);
    t.equal(trailRows(res.body), PAGE_SIZE_DEFAULT);
  }
});
