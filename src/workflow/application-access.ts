// Rule: an application (and everything attached to it) is visible to members of its organization and to
// staff; to anyone else it does not exist (404), so ids cannot be probed. The application's owner
// (applications.ts) loads the row; these functions decide who may do what with it.
import type { CurrentUser, StaffRole } from '../accounts/types';
import { AppError } from '../http/errors';
import { stageDefinition, type Stage } from './stages';

/** An application as the stage modules see it (applications.ts `load`, `lock`). */
export interface ApplicationSummary {
  id: string;
  organizationId: string;
  organizationName: string;
  reference: string | null;
  stage: string;
  status: string;
  currentVersion: number;
  stageEnteredAt: string;
  /** What staff sent back with request_changes (section or document keys). */
  changesRequested: string[];
}

export function isOrgMemberOf(user: CurrentUser, app: { organizationId: string }): boolean {
  return user.organizationId !== null && user.organizationId === app.organizationId;
}

/**
 * Rule: who among staff may read each resource attached to an application — one table, used by the pages'
 * guards (mustBeStaff(...STAFF_READERS.x)) and by the services that both the pages and /api/v1 call, so the
 * API never shows a staff role more than its pages do. The least privilege the pages show: the security
 * inspection (documents, findings, remediations, file downloads) is the inspector's, the contract the
 * contract officer's; admin may act on both. The application itself, its review and audit trail: any staff.
 */
export const STAFF_READERS = {
  security: stageDeciders('security'),
  contract: stageDeciders('contract'),
} as const satisfies Record<string, readonly StaffRole[]>;
/** The stage's staff role (stages.ts) and admin. */
function stageDeciders(stage: Stage): readonly StaffRole[] {
  const role = stageDefinition(stage).staffRole;
  return role ? [role, 'admin'] : ['admin'];
}
export type ReadableResource = keyof typeof STAFF_READERS;

/** Members of the organization, or staff whose role reads `resource`; other staff 403, anyone else 404. */
export function assertCanRead(user: CurrentUser, app: { organizationId: string }, resource: ReadableResource): void {
  if (isOrgMemberOf(user, app)) return;
  const readers: readonly StaffRole[] = STAFF_READERS[resource];
  if (user.staffRole && readers.includes(user.staffRole)) return;
  if (user.staffRole) throw new AppError('forbidden', 'staff role may not read this');
  throw new AppError('not_found', 'application');
}

/** Members of the organization or any staff; others get not_found. */
export function assertCanSee(user: CurrentUser, app: { organizationId: string }): void {
  if (isOrgMemberOf(user, app)) return;
  if (user.staffRole) return;
  throw new AppError('not_found', 'application');
}

/** Members of the organization only (applicant actions); staff get 403, strangers 404. */
export function assertApplicant(user: CurrentUser, app: { organizationId: string }): void {
  if (isOrgMemberOf(user, app)) return;
  if (user.staffRole) throw new AppError('forbidden', 'applicants only');
  throw new AppError('not_found', 'application');
}

/** Staff with one of the roles (admin always); applicants of this organization 403, strangers 404. */
export function assertStaff(user: CurrentUser, app: { organizationId: string }, roles: readonly StaffRole[]): void {
  if (user.staffRole && (user.staffRole === 'admin' || roles.includes(user.staffRole))) return;
  if (user.staffRole || isOrgMemberOf(user, app)) throw new AppError('forbidden', 'staff only');
  throw new AppError('not_found', 'application');
}
