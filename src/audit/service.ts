// Append-only audit log. Every state change writes its event in the same transaction as the change.
import type { Runner } from '../db/knex';
import type { Clock } from '../clock';
import type { IdGenerator } from '../db/ids';
import type { Page, PageRequest } from '../pagination/cursor';
import { keysetPage, type KeysetOrder } from '../pagination/keyset';

/** An application's trail in the order it happened (seq is unique and grows with every event). */
const OLDEST_FIRST: KeysetOrder<Row> = { columns: ['seq'], direction: 'asc', keyOf: (row) => [Number(row.seq)] };
/** The same trail newest first (timelines and stage histories show the latest on top). */
const NEWEST_FIRST: KeysetOrder<Row> = { ...OLDEST_FIRST, direction: 'desc' };
export const AUDIT_CURSOR = ['integer'] as const;

export interface AuditActor {
  userId: string | null;
  label: string;
}
export const SYSTEM_ACTOR: AuditActor = { userId: null, label: 'system' };

export interface AuditInput {
  event: string;
  actor: AuditActor;
  organizationId?: string | null;
  applicationId?: string | null;
  fromState?: string | null;
  toState?: string | null;
  reason?: string | null;
  internal?: boolean;
  data?: Record<string, unknown> | null;
}

export interface AuditEvent {
  id: string;
  organizationId: string | null;
  applicationId: string | null;
  actorUserId: string | null;
  actorLabel: string | null;
  event: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  internal: boolean;
  data: Record<string, unknown> | null;
  createdAt: string;
}

interface Row {
  seq: number | string;
  id: string;
  organization_id: string | null;
  application_id: string | null;
  actor_user_id: string | null;
  actor_label: string | null;
  event: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  internal: boolean | number;
  data: string | null;
  created_at: string;
}

function fromRow(r: Row): AuditEvent {
  return {
    id: r.id,
    organizationId: r.organization_id,
    applicationId: r.application_id,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    event: r.event,
    fromState: r.from_state,
    toState: r.to_state,
    reason: r.reason,
    internal: Boolean(r.internal),
    data: r.data ? JSON.parse(r.data) : null,
    createdAt: r.created_at,
  };
}

/** A workflow decision: an `application.*` event that moved the application to a state (not an internal note). */
export function isDecision(e: Pick<AuditEvent, 'event' | 'toState'>): boolean {
  return Boolean(e.toState) && e.event.startsWith('application.') && e.event !== 'application.internal_note';
}

export function createAuditService(deps: { db: Runner; clock: Clock; ids: IdGenerator }) {
  return {
    async record(input: AuditInput, trx?: Runner): Promise<void> {
      await (trx ?? deps.db)('audit_events').insert({
        id: deps.ids(),
        organization_id: input.organizationId ?? null,
        application_id: input.applicationId ?? null,
        actor_user_id: input.actor.userId,
        actor_label: input.actor.label,
        event: input.event,
        from_state: input.fromState ?? null,
        to_state: input.toState ?? null,
        reason: input.reason ?? null,
        internal: input.internal ?? false,
        data: input.data ? JSON.stringify(input.data) : null,
        created_at: deps.clock().toISOString(),
      });
    },
    /** Every event, oldest first (tests read whole trails; pages read pageForApplication). `includeInternal` is for staff only. */
    async forApplication(
      applicationId: string,
      opts: { includeInternal: boolean },
      trx?: Runner,
    ): Promise<AuditEvent[]> {
      const q = (trx ?? deps.db)<Row>('audit_events').where({ application_id: applicationId }).orderBy('seq', 'asc');
      if (!opts.includeInternal) q.andWhere({ internal: false });
      return (await q).map(fromRow);
    },
    /**
     * One page of an application's trail (keyset on seq, read along the index (application_id, seq)), oldest
     * first unless `newestFirst`; `stage` keeps only the events of that stage: its own events (`security.…`) and
     * the workflow's moves into, within and out of it (from or to `security:…`).
     */
    async pageForApplication(
      applicationId: string,
      opts: { includeInternal: boolean; newestFirst?: boolean; stage?: 'security' },
      page: PageRequest,
    ): Promise<Page<AuditEvent>> {
      const q = deps.db<Row>('audit_events').where({ application_id: applicationId });
      if (!opts.includeInternal) q.andWhere({ internal: false });
      if (opts.stage) {
        const stage = opts.stage;
        q.andWhere((w) =>
          w
            .where('event', 'like', `${stage}.%`)
            .orWhere('from_state', 'like', `${stage}:%`)
            .orWhere('to_state', 'like', `${stage}:%`),
        );
      }
      const found = await keysetPage<Row>(q, opts.newestFirst ? NEWEST_FIRST : OLDEST_FIRST, page);
      return { ...found, rows: found.rows.map(fromRow) };
    },
    /**
     * The newest `event` of an application (visible to the applicant), or of those leaving `fromStage` when given:
     * one row read backwards along (application_id, seq).
     */
    async latestOf(applicationId: string, event: string, fromStage?: string): Promise<AuditEvent | null> {
      const q = deps
        .db<Row>('audit_events')
        .where({ application_id: applicationId, event, internal: false })
        .orderBy('seq', 'desc');
      if (fromStage) q.andWhere('from_state', 'like', `${fromStage}:%`);
      const row = await q.first();
      return row ? fromRow(row) : null;
    },
    /**
     * The workflow decisions of an application (isDecision), oldest first: the review screen's decision timeline
     * when its trail has more than one page.
     */
    async decisionsForApplication(applicationId: string): Promise<AuditEvent[]> {
      const rows = await deps
        .db<Row>('audit_events')
        .where({ application_id: applicationId })
        .whereNotNull('to_state')
        .andWhere('event', 'like', 'application.%')
        .andWhereNot('event', 'application.internal_note')
        .orderBy('seq', 'asc');
      return rows.map(fromRow).filter(isDecision);
    },
    async forOrganization(
      organizationId: string,
      opts: { includeInternal: boolean },
      trx?: Runner,
    ): Promise<AuditEvent[]> {
      const q = (trx ?? deps.db)<Row>('audit_events').where({ organization_id: organizationId }).orderBy('seq', 'asc');
      if (!opts.includeInternal) q.andWhere({ internal: false });
      return (await q).map(fromRow);
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
