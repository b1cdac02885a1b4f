import t from 'tap';
import {
  ACTOR_KINDS,
  STAGES,
  STATUSES,
  TRANSITIONS,
  WORKFLOW_EVENTS,
  decide,
  isTerminal,
  type ActorKind,
  type Stage,
  type Status,
  type WorkflowEvent,
} from '../../src/workflow/state-machine';

// The oracle is written out by hand from the brief, independently of the table in src/, so a wrong row fails.
// Format: "stage:status event -> stage:status [actor kinds]"
const STAFF_SUIT = 'reviewer admin';
const EXPECTED_LINES = `
application:draft submit -> suitability:submitted [owner member]
suitability:changes_requested submit -> suitability:submitted [owner member]
testing:in_progress submit -> testing:submitted [owner member]
testing:changes_requested submit -> testing:submitted [owner member]
security:in_progress submit -> security:submitted [owner member]
security:changes_requested submit -> security:submitted [owner member]
suitability:submitted claim -> suitability:in_review [${STAFF_SUIT}]
testing:submitted claim -> testing:in_review [reviewer admin]
security:submitted claim -> security:in_review [inspector admin]
contract:submitted claim -> contract:in_review [contract_officer admin]
suitability:submitted approve -> testing:in_progress [reviewer admin]
suitability:in_review approve -> testing:in_progress [reviewer admin]
testing:submitted approve -> security:in_progress [reviewer admin]
testing:in_review approve -> security:in_progress [reviewer admin]
security:submitted approve -> contract:in_progress [inspector admin]
security:in_review approve -> contract:in_progress [inspector admin]
suitability:submitted request_changes -> suitability:changes_requested [reviewer admin]
suitability:in_review request_changes -> suitability:changes_requested [reviewer admin]
testing:submitted request_changes -> testing:changes_requested [reviewer admin]
testing:in_review request_changes -> testing:changes_requested [reviewer admin]
security:submitted request_changes -> security:changes_requested [inspector admin]
security:in_review request_changes -> security:changes_requested [inspector admin]
contract:submitted request_changes -> contract:changes_requested [contract_officer admin]
contract:in_review request_changes -> contract:changes_requested [contract_officer admin]
suitability:submitted reject -> suitability:rejected [reviewer admin]
suitability:in_review reject -> suitability:rejected [reviewer admin]
testing:submitted reject -> testing:rejected [reviewer admin]
testing:in_review reject -> testing:rejected [reviewer admin]
security:submitted reject -> security:rejected [inspector admin]
security:in_review reject -> security:rejected [inspector admin]
contract:submitted reject -> contract:rejected [contract_officer admin]
contract:in_review reject -> contract:rejected [contract_officer admin]
contract:in_progress sign -> contract:submitted [owner]
contract:changes_requested sign -> contract:submitted [owner]
contract:submitted countersign -> live:live [contract_officer admin]
contract:in_review countersign -> live:live [contract_officer admin]
`;

interface Expected {
  to: string;
  actors: ActorKind[];
}
const expected = new Map<string, Expected>();
for (const line of EXPECTED_LINES.trim().split('\n')) {
  const m = /^(\S+) (\S+) -> (\S+) \[([^\]]+)\]$/.exec(line.trim());
  if (!m) throw new Error(`bad oracle line ${line}`);
  expected.set(`${m[1]} ${m[2]}`, { to: m[3]!, actors: m[4]!.split(' ') as ActorKind[] });
}
// withdraw: the owner, from every non-terminal state; the stage is kept.
for (const stage of STAGES) {
  if (stage === 'live') continue;
  for (const status of STATUSES) {
    if (status === 'rejected' || status === 'withdrawn' || status === 'live') continue;
    expected.set(`${stage}:${status} withdraw`, { to: `${stage}:withdrawn`, actors: ['owner'] });
  }
}

const GUARDED: Record<string, 'checklist' | 'findings'> = {
  'suitability:submitted approve': 'checklist',
  'suitability:in_review approve': 'checklist',
  'security:submitted approve': 'findings',
  'security:in_review approve': 'findings',
};
const satisfied = {
  checklist: [
    { item: 'a', result: 'pass' as const },
    { item: 'b', result: 'na' as const },
  ],
  openCriticalOrHighFindings: 0,
};

t.test('decide() matches the transition table for every event × every state × every actor kind', async (t) => {
  let checked = 0;
  for (const stage of STAGES) {
    for (const status of STATUSES) {
      for (const event of WORKFLOW_EVENTS) {
        for (const kind of ACTOR_KINDS) {
          const key = `${stage}:${status} ${event}`;
          const exp = expected.get(key);
          const got = decide({ stage, status }, event, { kind }, satisfied);
          checked++;
          if (!exp) {
            t.same(
              got,
              { ok: false, reason: 'not_allowed_from_state', currentState: { stage, status } },
              `${key} by ${kind} is not allowed from state`,
            );
          } else if (!exp.actors.includes(kind)) {
            t.same(
              got,
              { ok: false, reason: 'role', currentState: { stage, status } },
              `${key} by ${kind} is refused for role`,
            );
          } else {
            t.equal(got.ok, true, `${key} by ${kind} is allowed`);
            if (got.ok) t.equal(`${got.to.stage}:${got.to.status}`, exp.to, `${key} by ${kind} goes to ${exp.to}`);
          }
        }
      }
    }
  }
  t.equal(checked, STAGES.length * STATUSES.length * WORKFLOW_EVENTS.length * ACTOR_KINDS.length);
  t.equal(TRANSITIONS.length, expected.size, 'the table has exactly the expected rows, no extras');
});

t.test('guards fail closed: approval without the facts in the context is refused as a guard failure', async (t) => {
  for (const [key, guard] of Object.entries(GUARDED)) {
    const [state, event] = key.split(' ') as [string, WorkflowEvent];
    const [stage, status] = state.split(':') as [Stage, Status];
    const actor = { kind: (guard === 'checklist' ? 'reviewer' : 'inspector') as ActorKind };
    const got = decide({ stage, status }, event, actor, {});
    t.same(
      got,
      {
        ok: false,
        reason: 'guard',
        guard: guard === 'checklist' ? 'checklist_all_pass_or_na' : 'no_open_critical_or_high_findings',
        currentState: { stage, status },
      },
      key,
    );
  }
});

t.test('approval needs every checklist item pass or not applicable (pure rule)', async (t) => {
  const st = { stage: 'suitability' as const, status: 'in_review' as const };
  const reviewer = { kind: 'reviewer' as const };
  t.equal(
    decide(st, 'approve', reviewer, {
      checklist: [
        { item: 'a', result: 'pass' },
        { item: 'b', result: 'fail' },
      ],
    }).ok,
    false,
  );
  t.equal(
    decide(st, 'approve', reviewer, {
      checklist: [
        { item: 'a', result: 'pass' },
        { item: 'b', result: null },
      ],
    }).ok,
    false,
  );
  t.equal(decide(st, 'approve', reviewer, { checklist: [] }).ok, false, 'an empty checklist never approves');
  t.equal(
    decide(st, 'approve', reviewer, { checklist: [{ item: 'a', result: 'pass' }], checklistRequiredItems: ['a', 'b'] })
      .ok,
    false,
    'a missing required item fails',
  );
  t.equal(
    decide(st, 'approve', reviewer, {
      checklist: [
        { item: 'a', result: 'pass' },
        { item: 'b', result: 'na' },
      ],
      checklistRequiredItems: ['a', 'b'],
    }).ok,
    true,
  );
});

t.test('approval at security needs no open critical or high finding (pure rule)', async (t) => {
  const st = { stage: 'security' as const, status: 'in_review' as const };
  t.equal(decide(st, 'approve', { kind: 'inspector' }, { openCriticalOrHighFindings: 1 }).ok, false);
  t.equal(decide(st, 'approve', { kind: 'inspector' }, { openCriticalOrHighFindings: 0 }).ok, true);
});

t.test('terminal states allow no event at all', async (t) => {
  for (const stage of STAGES) {
    for (const status of STATUSES) {
      if (!isTerminal({ stage, status })) continue;
      for (const event of WORKFLOW_EVENTS) {
        for (const kind of ACTOR_KINDS)
          t.equal(
            decide({ stage, status }, event, { kind }, satisfied).ok,
            false,
            `${stage}:${status} ${event} ${kind}`,
          );
      }
    }
  }
});
