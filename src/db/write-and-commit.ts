// The last step of a write batch: its statements, then COMMIT. On SQLite they run as ONE job on the
// driver's thread pool (Database#exec of one text: the statements in order, then COMMIT), instead of one
// job per statement plus one for knex's COMMIT, each costing a trip through the event loop while the
// single write connection waits. exec takes no bound values, so the values are written into the text as
// SQLite literals (`sqlLiteral`): text as '…' with every ' doubled — SQLite string literals have no
// other escape — numbers as written by JavaScript, NULL, each in parentheses; templates holding a quote
// or a comment opener are refused (see inlineStatement). A value that cannot be written exactly that way
// (a string with a NUL or a lone surrogate, a non-finite number, a Date, a Buffer…) sends the batch down
// the ordinary path instead. PostgreSQL always takes the ordinary path: the statements together, then
// knex's own COMMIT. (How knex's COMMIT is then answered: sqlite-driver-patches.ts, P4.)
import type { Knex } from 'knex';
import { together } from './batcher';
import { isPostgres } from './knex';
import { execAndCommit } from './sqlite-driver-patches';

export interface SqlStatement {
  sql: string;
  bindings: readonly unknown[];
}

/** String.prototype.isWellFormed (Node 20+; typed only from lib ES2024): no lone surrogate. */
export function isWellFormedText(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** The SQLite literal for a bound value, or null when it cannot be written exactly as one. */
export function sqlLiteral(v: unknown): string | null {
  if (v === null || v === undefined) return 'NULL';
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? String(v) : null;
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? '1' : '0'; // as the driver binds them
    case 'string':
      if (v.includes('\0') || !isWellFormedText(v)) return null;
      return `'${v.replace(/'/g, "''")}'`;
    default:
      return null;
  }
}

/**
 * A template the literal writer refuses: a quote (a `?` inside '…' is text, not a placeholder) or a
 * comment opener (`a -?` with −5 would become `a --5`, the rest of the line a comment).
 */
const UNSAFE_TEMPLATE = /'|--|\/\*/;

/**
 * One statement with its `?` placeholders replaced by literals, each wrapped in parentheses so that no
 * neighbouring character can change what it means; null when a value has no exact literal or the template
 * is one the writer refuses (UNSAFE_TEMPLATE): such statements run with bound values instead.
 */
export function inlineStatement(s: SqlStatement): string | null {
  if (UNSAFE_TEMPLATE.test(s.sql)) return null;
  const parts = s.sql.split('?');
  if (parts.length - 1 !== s.bindings.length)
    throw new Error(`statement has ${parts.length - 1} placeholders for ${s.bindings.length} values`);
  let out = parts[0]!;
  for (let i = 0; i < s.bindings.length; i++) {
    const lit = sqlLiteral(s.bindings[i]);
    if (lit === null) return null;
    out += `(${lit})${parts[i + 1]!}`;
  }
  return out;
}

/**
 * Runs `statements` in order as the LAST work of the knex transaction `trx`, and on SQLite commits it in
 * the same job (knex's COMMIT that follows is then answered without running). `trx` must be a top-level
 * transaction (`db.transaction(…)`, not one nested in another: its COMMIT would end the outer one).
 * Nothing may be sent on `trx` afterwards; return from the transaction callback right after.
 */
export async function writeAndCommit(trx: Knex.Transaction, statements: readonly SqlStatement[]): Promise<void> {
  const texts = isPostgres(trx) ? null : statements.map(inlineStatement);
  if (!texts || texts.some((t) => t === null)) {
    await together(statements.map((s) => trx.raw(s.sql, s.bindings as never[])));
    return;
  }
  await execAndCommit(trx, `${texts.join(';\n')};\nCOMMIT;`);
}
