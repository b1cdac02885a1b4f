import t from 'tap';
import { build } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { applicationInTesting, passChecklist, staffUser } from '../helpers/workflow';
import { createWorkflowService } from '../../src/workflow/service';

async function stateOf(app: Awaited<ReturnType<typeof build>>, id: string) {
  const row = await app.db('applications').where({ id }).first('stage', 'status');
  return `${row.stage}:${row.status}`;
}

t.test('suitability approval issues sandbox credentials in the same transaction', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { id } = await applicationInTesting(app, reviewer.browser);
  const events = (await app.services.audit.forApplication(id, { includeInternal: true })).map((e) => e.event);
  t.ok(events.includes('credentials.issued'), 'the workflow audits the issuance');
  t.ok(events.indexOf('application.approved') < events.indexOf('credentials.issued'));
});

t.test('a failing credential issuance rolls the approval back: nothing is half-written', async (t) => {
  const app = await build(t);
  const reviewer = await staffUser(app, 'reviewer');
  const { id } = await applicationAt(app, 'suitability');
  await passChecklist(reviewer.browser, id);
  const workflow = createWorkflowService({
    db: app.db,
    clock: () => new Date(),
    ids: () => crypto.randomUUID(),
    config: app.config,
    audit: app.services.audit,
    notifications: app.services.notifications,
    onSuitabilityApproved: async () => {
      throw new Error('credential store unavailable');
    },
  });
  await t.rejects(
    workflow.transition(id, 'approve', reviewer.user, { reason: '승인' }),
    /credential store unavailable/,
  );
  t.equal(await stateOf(app, id), 'suitability:submitted');
  t.equal((await app.db('audit_events').where({ application_id: id, event: 'application.approved' })).length, 0);
  t.equal(
    (await app.db('notifications').where({ application_id: id, message_key: 'notifications.messages.approved' }))
      .length,
    0,
  );
});

t.test(
  "a checklist changed to fail between the approver's read and the write does not let the approval through",
  async (t) => {
    const app = await build(t);
    const reviewer = await staffUser(app, 'reviewer');
    const { id } = await applicationAt(app, 'suitability');
    await passChecklist(reviewer.browser, id);
    // Another reviewer saves a failed item just before the approval's transaction starts.
    const racingDb = new Proxy(app.db, {
      get(target, prop, receiver) {
        if (prop === 'transaction') {
          return async (fn: (trx: unknown) => Promise<unknown>) => {
            await target('suitability_checklist')
              .where({ application_id: id, item: 'sanctions' })
              .update({ result: 'fail', note: '제재 이력 발견' });
            return target.transaction(fn as never);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const workflow = createWorkflowService({
      db: racingDb,
      clock: () => new Date(),
      ids: () => crypto.randomUUID(),
      config: app.config,
      audit: app.services.audit,
      notifications: app.services.notifications,
    });
    await t.rejects(workflow.transition(id, 'approve', reviewer.user, { reason: '승인' }), { code: 'validation' });
    t.equal(await stateOf(app, id), 'suitability:submitted');
  },
);
