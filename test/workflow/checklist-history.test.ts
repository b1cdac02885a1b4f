// Rule: a checklist note belongs to the outcome it explained. When an item's result changes, the earlier
// result and its note go to the item's history (shown under the item, with who set it), and the current
// item keeps only a note written for the new result.
import t from 'tap';
import { build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { passChecklist, staffUser } from '../helpers/workflow';

t.test('changing fail to pass moves the fail note to the history and clears it from the item', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { id } = await applicationAt(app, 'suitability');
  const url = `/staff/applications/${id}`;
  await reviewer.browser.post(`${url}/claim`, {}, { formUrl: url });
  const failNote = '납입자본금 증빙이 없습니다';
  t.equal(
    (await passChecklist(reviewer.browser, id, { result_capital: 'fail', note_capital: failNote })).statusCode,
    303,
  );
  // The form sends the old note back with the new result, as a browser would.
  t.equal(
    (await passChecklist(reviewer.browser, id, { result_capital: 'pass', note_capital: failNote })).statusCode,
    303,
  );
  const current = await app.db('suitability_checklist').where({ application_id: id, item: 'capital' }).first();
  t.equal(current.result, 'pass');
  t.equal(current.note, null, 'the fail note is not kept on the pass');
  const history = await app.db('suitability_checklist_history').where({ application_id: id, item: 'capital' });
  t.equal(history.length, 1, 'one earlier result');
  t.equal(history[0].result, 'fail');
  t.equal(history[0].note, failNote, 'the note stays with the result it explained');
  const page = (await reviewer.browser.get(url)).body;
  t.match(page, '이전 평가 1건', 'the staff page lists the history under the item');
  t.match(page, failNote);

  // A new note written with the new result is kept; an unchanged result keeps its note and adds no history.
  t.equal(
    (await passChecklist(reviewer.browser, id, { result_capital: 'na', note_capital: '자본금 요건 면제 대상' }))
      .statusCode,
    303,
  );
  t.equal(
    (await app.db('suitability_checklist').where({ application_id: id, item: 'capital' }).first()).note,
    '자본금 요건 면제 대상',
  );
  t.equal(
    (await passChecklist(reviewer.browser, id, { result_capital: 'na', note_capital: '자본금 요건 면제 대상' }))
      .statusCode,
    303,
  );
  t.equal(
    (await app.db('suitability_checklist_history').where({ application_id: id, item: 'capital' })).length,
    2,
    'pass → na added one; na → na none',
  );
  t.equal(
    (await app.db('suitability_checklist_history').where({ application_id: id, item: 'legal_entity' })).length,
    0,
    'items that did not change have no history',
  );
});
