// Rule: which states open stage 1's form follows from the stage registry (src/workflow/stages.ts), not from
// stage names written into src/onboarding/section-editing.ts: the draft is the first stage as it is entered; the
// requested changes are made on the form for a later stage whose `applicantWorksIn` is the first stage.
import t from 'tap';
import { documentsEditable, editableSections, formSentBack } from '../../src/onboarding/section-editing';
import { SECTION_KEYS } from '../../src/onboarding/sections';
import { STAGE_REGISTRY, STATUSES } from '../../src/workflow/stages';

const FORM = STAGE_REGISTRY[0];
const SENT_BACK = '["company","documents"]';

t.test(
  'a stage sent back is changed on the application form exactly when the registry says its applicant works there',
  async (t) => {
    const onForm: string[] = STAGE_REGISTRY.filter((s) => s.key !== FORM.key && s.applicantWorksIn === FORM.key).map(
      (s) => s.key,
    );
    t.same(onForm, ['suitability'], 'today: suitability, whose changes are made on stage 1’s form');
    for (const stage of STAGE_REGISTRY) {
      for (const status of STATUSES) {
        const app = { stage: stage.key, status, changes_requested_sections: SENT_BACK };
        const expected = status === 'changes_requested' && onForm.includes(stage.key);
        t.equal(formSentBack(app), expected, `${stage.key}:${status} sent back to the form: ${expected}`);
        const draft = stage.key === FORM.key && status === FORM.entersAs;
        t.same(
          editableSections(app),
          draft ? [...SECTION_KEYS] : expected ? ['company'] : [],
          `${stage.key}:${status}: the sections open`,
        );
        t.equal(documentsEditable(app), draft || expected, `${stage.key}:${status}: documents open`);
      }
    }
  },
);

t.test('only the named sections open after a change request; nothing named, nothing open', async (t) => {
  const app = { stage: 'suitability', status: 'changes_requested' };
  t.same(editableSections({ ...app, changes_requested_sections: '["technical","contacts"]' }), [
    'technical',
    'contacts',
  ]);
  t.same(editableSections({ ...app, changes_requested_sections: null }), []);
  t.equal(documentsEditable({ ...app, changes_requested_sections: '["company"]' }), false);
  t.equal(documentsEditable({ ...app, changes_requested_sections: null }), false);
});
