import t from 'tap';
import { diffAnswers, diffSummaries, diffWords, flattenAnswers } from '../../src/workflow/version-diff';

t.test('the reviewer sees a diff against the previous version (word level)', async (t) => {
  t.same(diffWords('서울특별시 중구 세종대로 110', '서울특별시 중구 을지로 100'), [
    { kind: 'same', text: '서울특별시 중구 ' },
    { kind: 'del', text: '세종대로 110' },
    { kind: 'ins', text: '을지로 100' },
  ]);
  t.same(diffWords('a b c', 'a b c'), [{ kind: 'same', text: 'a b c' }]);
  t.same(diffWords('', 'new'), [{ kind: 'ins', text: 'new' }]);
  t.same(diffWords('old', ''), [{ kind: 'del', text: 'old' }]);
  t.same(diffWords('one two three', 'one three'), [
    { kind: 'same', text: 'one ' },
    { kind: 'del', text: 'two ' },
    { kind: 'same', text: 'three' },
  ]);
  const long = Array.from({ length: 600 }, (_, i) => `w${i}`).join(' ');
  const parts = diffWords(long, `${long} more`);
  t.ok(parts.length <= 3, 'very long texts still diff without blowing up');
  t.equal(
    parts
      .filter((p) => p.kind !== 'ins')
      .map((p) => p.text)
      .join(''),
    long,
    'the old text is preserved in the parts',
  );
  const other = Array.from({ length: 600 }, (_, i) => `v${i}`).join(' ');
  t.same(
    diffWords(long, other),
    [
      { kind: 'del', text: long },
      { kind: 'ins', text: other },
    ],
    'two long texts with too many edits between them show as one replacement',
  );
});

t.test('answers are compared field by field: added, removed, changed, unchanged', async (t) => {
  const prev = { company: { name: 'A', address: '서울 중구' }, apis: { apis: ['balance'] } };
  const next = { company: { name: 'A', address: '서울 강남구', phone: '02' }, apis: { apis: ['balance', 'withdraw'] } };
  const rows = diffAnswers(prev, next);
  const by = (f: string) => rows.find((r) => r.field === f)!;
  t.equal(by('name').kind, 'unchanged');
  t.equal(by('address').kind, 'changed');
  t.equal(by('phone').kind, 'added');
  t.same(
    by('apis').parts,
    [
      { kind: 'same', text: 'balance' },
      { kind: 'ins', text: ', withdraw' },
    ],
    'arrays compare as lists',
  );
  t.equal(by('apis').kind, 'changed');
  const removed = diffAnswers({ a: { x: '1', y: '2' } }, { a: { x: '1' } });
  t.same(
    removed.map((r) => [r.field, r.kind]),
    [
      ['x', 'unchanged'],
      ['y', 'removed'],
    ],
  );
  t.ok(
    diffAnswers(null, next).every((r) => r.kind === 'unchanged'),
    'a first version marks nothing',
  );
  t.same(
    [...flattenAnswers({ c: [{ n: 'a' }, { n: 'b' }], f: true, z: null })],
    [
      ['c.0.n', 'a'],
      ['c.1.n', 'b'],
      ['f', 'true'],
      ['z', ''],
    ],
  );
});

t.test('summaries diff with the labels the applicant saw, per section', async (t) => {
  const prev = [{ key: 'company', title: '회사', rows: [{ field: 'address', label: '주소', value: '세종대로' }] }];
  const next = [
    { key: 'company', title: '회사', rows: [{ field: 'address', label: '주소', value: '을지로' }] },
    { key: 'service', title: '서비스', rows: [{ field: 'name', label: '이름', value: 'x' }] },
  ];
  const d = diffSummaries(prev, next);
  t.equal(d.length, 2);
  t.equal(d[0]!.changed, true);
  t.equal(d[0]!.rows[0]!.label, '주소');
  t.same(d[0]!.rows[0]!.parts, [
    { kind: 'del', text: '세종대로' },
    { kind: 'ins', text: '을지로' },
  ]);
  t.equal(d[1]!.rows[0]!.kind, 'added');
  t.equal(
    diffSummaries(null, next).some((s) => s.changed),
    false,
  );
});
