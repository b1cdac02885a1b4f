// The one owner of an application row (the `applications` table): loading it, locking it for a change, creating
// it and marking it changed. Who may see or act on it is decided by application-access.ts; its state changes only
// through the workflow's transition(). Every other module (onboarding, inspection, contract, credentials) asks
// here; the SQL lives in ./repository.ts and nowhere else (test/architecture/application-owner.test.ts).
//
// A stateless factory over the database: a service creates its own with `createApplications(deps.db)`.
import type { CurrentUser } from '../accounts/types';
import type { Runner } from '../db/knex';
import { AppError } from '../http/errors';
import { assertCanSee, type ApplicationSummary } from './application-access';
import { createWorkflowRepository, type ApplicationRow, type ApplicationWithOrg } from './repository';
import { STAGES, STATUSES } from './stages';

export type { ApplicationRow, ApplicationWithOrg } from './repository';
export type { ApplicationSummary } from './application-access';

function parseList(raw: unknown): string[] {
  if (typeof raw !== 'string' || !raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function toSummary(row: ApplicationWithOrg): ApplicationSummary {
  return {
    id: row.id,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    reference: row.reference ?? null,
    stage: row.stage,
    status: row.status,
    currentVersion: row.current_version,
    stageEnteredAt: row.stage_entered_at,
    changesRequested: parseList(row.changes_requested_sections),
  };
}

/** A row whose stage and status the workflow knows (anything else is treated as not found). */
function known(row: ApplicationWithOrg | undefined): row is ApplicationWithOrg {
  return Boolean(
    row && (STAGES as readonly string[]).includes(row.stage) && (STATUSES as readonly string[]).includes(row.status),
  );
}

export function createApplications(db: Runner) {
  const repo = createWorkflowRepository();

  async function summary(id: string, trx?: Runner): Promise<ApplicationSummary | undefined> {
    const row = await repo.findApplication(trx ?? db, id);
    return row ? toSummary(row) : undefined;
  }
  async function load(id: string, trx?: Runner): Promise<ApplicationSummary> {
    const app = await summary(id, trx);
    if (!app) throw new AppError('not_found', 'application');
    return app;
  }

  return {
    /** The row as stored, without any access check (callers check). */
    find: (id: string, trx?: Runner): Promise<ApplicationRow | undefined> => repo.findRow(trx ?? db, id),
    /** The row with its organization's name and the claimer's name, without any access check. */
    withOrganization: (id: string, trx?: Runner): Promise<ApplicationWithOrg | undefined> =>
      repo.findApplication(trx ?? db, id),
    /** The application as the stage modules see it; not_found when it does not exist. */
    load,
    /**
     * Locks the row for the rest of the transaction (PostgreSQL; SQLite's transaction is exclusive already) and
     * returns it as it is now: a state read after the lock cannot change before the transaction ends.
     */
    async lock(trx: Runner, id: string): Promise<ApplicationSummary> {
      await repo.findRow(trx, id, { forUpdate: true });
      return load(id, trx);
    },
    /** The same lock, returning the row as stored (undefined when it does not exist). */
    lockRow: (trx: Runner, id: string): Promise<ApplicationRow | undefined> =>
      repo.findRow(trx, id, { forUpdate: true }),
    /** An application the actor may see (staff and the system all, applicants their organization's; else 404). */
    async loadFor(id: string, actor: CurrentUser | 'system', trx?: Runner): Promise<ApplicationWithOrg> {
      const app = await repo.findApplication(trx ?? db, id);
      if (!known(app)) throw new AppError('not_found', 'application');
      if (actor !== 'system') assertCanSee(actor, { organizationId: app.organization_id });
      return app;
    },
    /** An organization's applications, newest first. */
    listForOrganization: (organizationId: string, trx?: Runner) => repo.listForOrganization(trx ?? db, organizationId),
    /** An organization's newest application in brief (id, reference, stage, status). */
    latestForOrganization: (organizationId: string, trx?: Runner) =>
      repo.latestForOrganization(trx ?? db, organizationId),
    /** A new draft of stage 1 (the caller audits it). */
    create: (a: { id: string; organizationId: string; now: string }, trx: Runner) => repo.insertApplication(trx, a),
    /** Marks the application changed (answers, documents) without changing its state; call it under the lock. */
    touch: (id: string, now: string, trx: Runner) => repo.touchApplication(trx, id, now),
  };
}
