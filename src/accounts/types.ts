export const STAFF_ROLES = ['reviewer', 'inspector', 'contract_officer', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type OrgRole = 'owner' | 'member';

export function isStaffRole(s: unknown): s is StaffRole {
  return typeof s === 'string' && (STAFF_ROLES as readonly string[]).includes(s);
}

/** Who is making a request: loaded from the session (pages) or a bearer token (API). */
export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  staffRole: StaffRole | null;
  organizationId: string | null;
  organizationName: string | null;
  orgRole: OrgRole | null;
  locale: string | null;
}
