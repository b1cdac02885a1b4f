// The shape of a workflow transition: who acts, what they send, what comes back. Its own module so a module
// the workflow service itself depends on (stage 1's submission in src/onboarding) can ask for a transition
// without importing the service (an import cycle).
import type { Knex } from 'knex';
import type { CurrentUser } from '../accounts/types';
import type { DecisionContext, WorkflowEvent, WorkflowState } from './state-machine';

/** Who acts: a signed-in user, or the system (timers, imports). */
export type Actor = CurrentUser | 'system';

export interface TransitionInput {
  reason?: unknown;
  /** request_changes: the section (stage 1) or document (later stages) keys to change. */
  sections?: unknown;
  /** Staff-only note, stored as a separate internal audit event hidden from the applicant. */
  internalNote?: unknown;
  /** Facts for guards that other modules own (e.g. stage 4: openCriticalOrHighFindings). */
  context?: DecisionContext;
  /** For stages 4–5: the document keys request_changes may name (default: any well-formed key). */
  allowedSections?: readonly string[];
  /** Extra data for the audit event. */
  auditData?: Record<string, unknown>;
  /**
   * Stage 2: the suitability checklist form (result_<item>, note_<item>) to save with this decision, in the
   * same transaction: when the decision fails (a missing reason, an item that is not pass or na, a conflict),
   * the checklist is not saved either.
   */
  checklist?: Record<string, unknown>;
}

export interface TransitionResult {
  applicationId: string;
  from: WorkflowState;
  to: WorkflowState;
  event: WorkflowEvent;
}

export interface TransitionOptions {
  /** Run inside the caller's transaction (so its own writes and the state change commit together). */
  trx?: Knex.Transaction;
  /**
   * Stage 1's submission (src/onboarding): the version it freezes and the reference the application carries from
   * its first submission. The compare-and-set then also requires the previous version, and writes both.
   */
  submission?: { version: number; reference: string };
  /** Runs inside the transaction after the compare-and-set succeeded (write your stage's rows here). */
  beforeCommit?: (trx: Knex.Transaction, result: TransitionResult) => Promise<void>;
}

/** What a caller needs of the workflow to move an application: one transition. */
export type Transition = (
  applicationId: string,
  event: WorkflowEvent,
  actor: Actor,
  input?: TransitionInput,
  opts?: TransitionOptions,
) => Promise<TransitionResult>;
