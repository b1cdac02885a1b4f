// How an application looks in the API (snake_case JSON), built from the services' own read models.
import { Type } from '@sinclair/typebox';
import type { AuditEvent } from '../audit/service';
import { STAGES, STATUSES } from '../workflow/state-machine';
import { requestedSections, editableSections } from '../onboarding/section-editing';
import { Id, NullableTimestamp, Timestamp } from './schemas';

export interface ApplicationLike {
  id: string;
  organization_id: string | null;
  reference: string | null;
  stage: string;
  status: string;
  current_version?: number | string;
  changes_requested_sections?: string | null;
  claimed_by?: string | null;
  stage_entered_at: string;
  submitted_at: string | null;
  created_at?: string;
  updated_at?: string;
  organization_name?: string | null;
}

// Plain strings in answers (a serializer must never fail on a value); the request schemas use enums.
const Stage = Type.String({ description: STAGES.join(' | ') });
const Status = Type.String({ description: STATUSES.join(' | ') });
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ApplicationSummary = Type.Object(
  {
    id: Id,
    reference: Type.Union([Type.String(), Type.Null()], {
      description: 'OB-YYYY-NNNNNN, assigned on first submission',
    }),
    organization_id: Type.Union([Id, Type.Null()]),
    organization_name: Type.Optional(NullableString),
    stage: Stage,
    status: Status,
    state: Type.String({ description: 'stage:status, as named in 409 answers' }),
    current_version: Type.Integer(),
    editable_sections: Type.Array(Type.String(), { description: 'Sections PATCH /answers may change now' }),
    requested_sections: Type.Array(Type.String(), { description: 'Sections/documents a reviewer asked to change' }),
    claimed_by: NullableString,
    stage_entered_at: Timestamp,
    submitted_at: NullableTimestamp,
    created_at: Type.Optional(Timestamp),
    updated_at: Type.Optional(Timestamp),
  },
  { $id: 'ApplicationSummary' },
);

export function applicationJson(a: ApplicationLike) {
  const sections = {
    stage: a.stage,
    status: a.status,
    changes_requested_sections: a.changes_requested_sections ?? null,
  };
  let requested: string[] = [];
  try {
    const parsed: unknown = a.changes_requested_sections ? JSON.parse(a.changes_requested_sections) : [];
    requested = Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    requested = requestedSections(sections);
  }
  return {
    id: a.id,
    reference: a.reference ?? null,
    organization_id: a.organization_id,
    ...(a.organization_name !== undefined ? { organization_name: a.organization_name } : {}),
    stage: a.stage,
    status: a.status,
    state: `${a.stage}:${a.status}`,
    current_version: Number(a.current_version ?? 0),
    editable_sections: editableSections(sections),
    requested_sections: a.status === 'changes_requested' ? requested : [],
    claimed_by: a.claimed_by ?? null,
    stage_entered_at: a.stage_entered_at,
    submitted_at: a.submitted_at ?? null,
    ...(a.created_at ? { created_at: a.created_at } : {}),
    ...(a.updated_at ? { updated_at: a.updated_at } : {}),
  };
}

export const AuditEntry = Type.Object({
  id: Id,
  event: Type.String(),
  actor: NullableString,
  from_state: NullableString,
  to_state: NullableString,
  reason: NullableString,
  internal: Type.Boolean({ description: 'Staff-only note (never shown to applicants)' }),
  data: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  created_at: Timestamp,
});

export function auditJson(e: AuditEvent) {
  return {
    id: e.id,
    event: e.event,
    actor: e.actorLabel,
    from_state: e.fromState,
    to_state: e.toState,
    reason: e.reason,
    internal: e.internal,
    data: e.data,
    created_at: e.createdAt,
  };
}
