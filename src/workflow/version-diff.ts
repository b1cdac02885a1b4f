// Rule: the reviewer sees what changed since the previous submission — every answer added, removed or
// changed, with changed text marked word by word (rendered as <del>/<ins>). Pure, no I/O. The diff itself
// is the `diff` package's; what counts as a word and how changes are grouped for reading are ours.
import { Diff } from 'diff';

export type DiffPart = { kind: 'same' | 'ins' | 'del'; text: string };
export interface AnswerDiffRow {
  section: string;
  /** Path inside the section, e.g. "name" or "contacts.0.email". */
  field: string;
  kind: 'added' | 'removed' | 'changed' | 'unchanged';
  before: string | null;
  after: string | null;
  parts: DiffPart[];
}

type Answers = Record<string, unknown>;

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

/** Flattens one section's data into path → text. Arrays of scalars become one comma-separated value. */
export function flattenAnswers(value: unknown, prefix = '', into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.every((x) => x === null || typeof x !== 'object')) {
      into.set(prefix, value.map(scalarText).join(', '));
    } else {
      for (const [i, x] of value.entries()) flattenAnswers(x, prefix ? `${prefix}.${i}` : String(i), into);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flattenAnswers(v, prefix ? `${prefix}.${k}` : k, into);
  } else {
    into.set(prefix, scalarText(value));
  }
  return into;
}

/**
 * jsdiff (the `diff` package) with our tokens: words, runs of spaces, and each punctuation mark on its own
 * ("balance," → "balance" + ","). Its own word tokenizers treat Hangul as punctuation, one syllable at a time.
 */
class WordsAndSpaces extends Diff<string, string> {
  override tokenize(s: string): string[] {
    return s.match(/\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
  }
}
const wordsAndSpaces = new WordsAndSpaces();

/** Past this many edits a text is shown as a whole replacement rather than spending seconds on the diff. */
const MAX_EDITS = 500;

/** Word-level difference of two texts (jsdiff's Myers diff of words and spaces). */
export function diffWords(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ kind: 'same', text: before }] : [];
  const changes = wordsAndSpaces.diff(before, after, { maxEditLength: MAX_EDITS });
  if (!changes) {
    return [
      ...(before ? [{ kind: 'del' as const, text: before }] : []),
      ...(after ? [{ kind: 'ins' as const, text: after }] : []),
    ];
  }
  const parts = changes.map((c): DiffPart => ({ kind: c.added ? 'ins' : c.removed ? 'del' : 'same', text: c.value }));
  return coalesce(parts);
}

/**
 * Reads better: changes separated only by spaces become one deletion followed by one insertion
 * ("<del>세종대로 110</del><ins>을지로 100</ins>" rather than word-by-word alternation).
 */
function coalesce(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let k = 0;
  while (k < parts.length) {
    const p = parts[k]!;
    if (p.kind === 'same') {
      out.push(p);
      k++;
      continue;
    }
    let del = '';
    let ins = '';
    while (k < parts.length) {
      const q = parts[k]!;
      if (q.kind === 'del') del += q.text;
      else if (q.kind === 'ins') ins += q.text;
      else if (/^\s+$/.test(q.text) && k + 1 < parts.length && parts[k + 1]!.kind !== 'same') {
        del += q.text;
        ins += q.text;
      } else break;
      k++;
    }
    if (del) out.push({ kind: 'del', text: del });
    if (ins) out.push({ kind: 'ins', text: ins });
  }
  return out;
}

/**
 * Every answer of `current`, compared with `previous` (null for a first submission: nothing is marked).
 * Sections and fields keep the order of the current version; removed ones follow.
 */
export function diffAnswers(previous: Answers | null, current: Answers): AnswerDiffRow[] {
  const rows: AnswerDiffRow[] = [];
  const sections = [...Object.keys(current), ...Object.keys(previous ?? {}).filter((s) => !(s in current))];
  for (const section of sections) {
    const now = flattenAnswers(current[section] ?? {});
    const before = previous ? flattenAnswers(previous[section] ?? {}) : null;
    const fields = [...now.keys(), ...[...(before?.keys() ?? [])].filter((f) => !now.has(f))];
    for (const field of fields) {
      const a = before ? (before.has(field) ? before.get(field)! : null) : null;
      const b = now.has(field) ? now.get(field)! : null;
      if (!before) {
        rows.push({
          section,
          field,
          kind: 'unchanged',
          before: b,
          after: b,
          parts: b ? [{ kind: 'same', text: b }] : [],
        });
      } else if (a === null) {
        rows.push({
          section,
          field,
          kind: 'added',
          before: null,
          after: b,
          parts: b ? [{ kind: 'ins', text: b }] : [],
        });
      } else if (b === null) {
        rows.push({
          section,
          field,
          kind: 'removed',
          before: a,
          after: null,
          parts: a ? [{ kind: 'del', text: a }] : [],
        });
      } else if (a === b) {
        rows.push({
          section,
          field,
          kind: 'unchanged',
          before: a,
          after: b,
          parts: b ? [{ kind: 'same', text: b }] : [],
        });
      } else {
        rows.push({ section, field, kind: 'changed', before: a, after: b, parts: diffWords(a, b) });
      }
    }
  }
  return rows;
}

/** A read-model row as onboarding's summary produces it (label and display value per field). */
export interface SummaryLike {
  key: string;
  title: string;
  rows: { field: string; label: string; value: string }[];
}
export interface SummaryDiffSection {
  key: string;
  title: string;
  rows: (AnswerDiffRow & { label: string })[];
  changed: boolean;
}

/**
 * The displayed answers of the current version against the previous one (null: first submission), per
 * section, so the reviewer reads the same labels and formatting the applicant saw.
 */
export function diffSummaries(
  previous: readonly SummaryLike[] | null,
  current: readonly SummaryLike[],
): SummaryDiffSection[] {
  const toAnswers = (sections: readonly SummaryLike[]) =>
    Object.fromEntries(sections.map((s) => [s.key, Object.fromEntries(s.rows.map((r) => [r.field, r.value]))]));
  const labels = new Map<string, string>();
  const titles = new Map<string, string>();
  for (const s of [...(previous ?? []), ...current]) {
    titles.set(s.key, s.title);
    for (const r of s.rows) labels.set(`${s.key}.${r.field}`, r.label);
  }
  const rows = diffAnswers(previous ? toAnswers(previous) : null, toAnswers(current));
  const order = [...new Set(rows.map((r) => r.section))];
  return order.map((key) => {
    const sectionRows = rows
      .filter((r) => r.section === key)
      .map((r) => ({ ...r, label: labels.get(`${key}.${r.field}`) ?? r.field }));
    return {
      key,
      title: titles.get(key) ?? key,
      rows: sectionRows,
      changed: sectionRows.some((r) => r.kind !== 'unchanged'),
    };
  });
}
