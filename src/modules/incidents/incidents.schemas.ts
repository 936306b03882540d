import { Type, type Static } from 'typebox';
import { INCIDENT_STATES, SECTORS, TLP_VALUES } from './taxonomy.js';
import { ReportSummarySchema } from '../reports/reports.schemas.js';

const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(s: T) => Type.Union([s, Type.Null()]);
const Level = Type.Integer({ minimum: 1, maximum: 4 });

export const CreateIncidentSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    reportIds: Type.Optional(Type.Array(Id, { maxItems: 500, uniqueItems: true })),
    rsitClass: Type.Optional(Type.String({ maxLength: 60 })),
    rsitType: Type.Optional(Type.String({ maxLength: 60 })),
    tlp: Type.Optional(Type.Enum(TLP_VALUES)),
    level: Type.Optional(Level),
    constituentId: Type.Optional(Id),
    sector: Type.Optional(Type.Enum(SECTORS)),
    ownerId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CreateIncidentInput = Static<typeof CreateIncidentSchema>;

export const UpdateIncidentSchema = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    rsitClass: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    rsitType: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    tlp: Type.Optional(Type.Enum(TLP_VALUES)),
    level: Type.Optional(Nullable(Level)),
    state: Type.Optional(Type.Enum(INCIDENT_STATES)),
    ownerId: Type.Optional(Nullable(Id)),
    constituentId: Type.Optional(Nullable(Id)),
    sector: Type.Optional(Nullable(Type.Enum(SECTORS))),
    advice: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateIncidentInput = Static<typeof UpdateIncidentSchema>;

export const DeadlineSchema = Type.Object({ kind: Type.String(), dueAt: Type.String(), metAt: Nullable(Type.String()), overdue: Type.Boolean() });

export const IncidentSummarySchema = Type.Object({
  id: Type.String(),
  number: Type.String(),
  title: Type.String(),
  state: Type.String(),
  rsitClass: Nullable(Type.String()),
  rsitType: Nullable(Type.String()),
  tlp: Type.String(),
  level: Nullable(Type.Integer()),
  ownerId: Nullable(Type.String()),
  constituentId: Nullable(Type.String()),
  sector: Nullable(Type.String()),
  nextDeadline: Nullable(Type.Object({ kind: Type.String(), dueAt: Type.String(), overdue: Type.Boolean() })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type IncidentSummary = Static<typeof IncidentSummarySchema>;

const Comment = Type.Object({ id: Type.String(), authorId: Type.String(), body: Type.String(), visibility: Type.String(), createdAt: Type.String() });
const Task = Type.Object({ id: Type.String(), title: Type.String(), dueAt: Nullable(Type.String()), doneAt: Nullable(Type.String()), createdAt: Type.String() });
const Handoff = Type.Object({
  id: Type.String(),
  partnerId: Type.String(),
  note: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  feedback: Type.Array(Type.Object({ id: Type.String(), authorId: Type.String(), body: Type.String(), status: Nullable(Type.String()), createdAt: Type.String() })),
});

export const IncidentDetailSchema = Type.Object({
  ...IncidentSummarySchema.properties,
  advice: Nullable(Type.String()),
  mergedIntoId: Nullable(Type.String()),
  firstResponseAt: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  deadlines: Type.Array(DeadlineSchema),
  reports: Type.Array(ReportSummarySchema),
  comments: Type.Array(Comment),
  tasks: Type.Array(Task),
  handoffs: Type.Array(Handoff),
});
export type IncidentDetail = Static<typeof IncidentDetailSchema>;

export const CommentInputSchema = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }), visibility: Type.Enum(['internal', 'reporter']) }, { additionalProperties: false });
export const TaskInputSchema = Type.Object({ title: Type.String({ minLength: 1, maxLength: 300 }), dueAt: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false });
export const TaskPatchSchema = Type.Object({ title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })), dueAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))), done: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });
export const HandoffInputSchema = Type.Object({ partnerId: Id, note: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false });
export const HANDOFF_STATUSES = ['pending', 'acknowledged', 'in_progress', 'done', 'declined'] as const;
export const FeedbackInputSchema = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }), status: Type.Optional(Type.Enum(['acknowledged', 'in_progress', 'done', 'declined'])) }, { additionalProperties: false });
