// Rule: people read audit events and states as words in their language, never as keys. Every event key
// recorded anywhere in src/ is in the registry with a Korean and an English name, and the pages that show
// the trail (the staff application page, the applicant's timeline) show no key.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { AUDIT_EVENTS, auditEventName, auditStateName } from '../../src/audit/event-names';
import { hasMessage } from '../../src/i18n';
import { build } from '../helpers/build';
import { applicationInTesting, staffUser } from '../helpers/workflow';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every event key the code records: string literals in `event:` expressions next to audit.record, and the workflow's past tenses. */
function recordedEventKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of sourceFiles(path.join(__dirname, '../../src'))) {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes('audit.record(') && !text.includes('.record({')) continue;
    for (const m of text.matchAll(/event:\s*([^,\n]+)/g)) {
      for (const lit of m[1]!.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) keys.add(lit[1]!);
    }
  }
  const workflow = fs.readFileSync(path.join(__dirname, '../../src/workflow/service.ts'), 'utf8');
  const past = /const PAST[^{]*\{([^}]*)\}/.exec(workflow)![1]!;
  for (const m of past.matchAll(/:\s*'([a-z_]+)'/g)) keys.add(`application.${m[1]}`);
  return keys;
}

t.test('every event key recorded in src/ has a registry entry with a Korean and an English name', async (t) => {
  const recorded = recordedEventKeys();
  t.ok(recorded.size >= 30, `found ${recorded.size} recorded keys`);
  for (const key of recorded)
    t.ok((AUDIT_EVENTS as readonly string[]).includes(key), `${key} is in src/audit/event-names.ts`);
  for (const key of AUDIT_EVENTS) {
    t.ok(
      hasMessage('ko', `audit.events.${key}`) && hasMessage('en', `audit.events.${key}`),
      `${key} has ko and en names`,
    );
    t.match(auditEventName('ko', key), /[가-힣]/, `${key} reads as Korean`);
    t.notMatch(auditEventName('en', key), /[가-힣]|\./, `${key} reads as English`);
  }
});

t.test('an unknown event or state reads as a word, not its key', async (t) => {
  t.equal(auditEventName('ko', 'old.removed_event'), '기타 기록');
  t.equal(auditStateName('ko', 'testing:in_review'), '개발 및 테스트 · 심사 중');
  t.equal(auditStateName('en', 'nowhere:odd'), 'Unknown state');
  t.equal(auditStateName('ko', null), '');
});

t.test('the staff application page and the applicant timeline show no event or state key', async (t) => {
  const app = await build(t, { demo: true });
  const reviewer = await staffUser(app, 'reviewer');
  const { id, browser: owner } = await applicationInTesting(app, reviewer.browser);
  const staffPage = (await reviewer.browser.get(`/staff/applications/${id}`)).body;
  const ownerPage = (await owner.get('/applications')).body;
  for (const [name, html] of [
    ['staff page', staffPage],
    ['applicant timeline', ownerPage],
  ] as const) {
    const text = html.replace(/<[^>]+>/g, ' ');
    for (const key of AUDIT_EVENTS) t.notOk(text.includes(key), `${name}: no "${key}"`);
    t.notMatch(
      text,
      /\b(application|suitability|testing|security|contract):(draft|submitted|in_review|changes_requested|in_progress|approved|rejected|withdrawn|live)\b/,
      `${name}: no raw state`,
    );
  }
  t.match(
    staffPage.replace(/<[^>]+>/g, ' '),
    /적합성 심사 · 제출됨\s*→\s*개발 및 테스트 · 진행 중/,
    'states read as stage · status',
  );
  t.match(staffPage, '샌드박스 인증정보 발급', 'events from other modules read by name');
});
