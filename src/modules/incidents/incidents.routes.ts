import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../container.js';
import { decodeCursor, encodeCursor } from '../reports/reports.routes.js';
import { DEADLINE_KINDS } from './deadlines.js';
import { CommentInputSchema, CreateIncidentSchema, FeedbackInputSchema, HandoffInputSchema, IncidentDetailSchema, IncidentSummarySchema, TaskInputSchema, TaskPatchSchema, UpdateIncidentSchema } from './incidents.schemas.js';
import { INCIDENT_STATES, LEVELS, RSIT, SECTORS, TLP_VALUES } from './taxonomy.js';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Created = Type.Object({ id: Type.String() });
const HoursByLevel = Type.Object({ '1': Type.Number(), '2': Type.Number(), '3': Type.Number(), '4': Type.Number() }, { additionalProperties: false });
const PolicySchema = Type.Object({ levelReviewHours: HoursByLevel, containmentHours: HoursByLevel, improvementReportMonths: Type.Integer() }, { additionalProperties: false });

export const incidentRoutes: FastifyPluginAsyncTypebox<{ c: Container }> = async (app, { c }) => {
  app.get('/api/v1/taxonomy', { schema: { tags: ['incidents'], summary: 'RSIT classes and types, TLP values, levels, states, sectors' } }, async () => ({
    rsit: RSIT,
    tlp: TLP_VALUES,
    levels: LEVELS,
    states: INCIDENT_STATES,
    sectors: SECTORS,
    deadlineKinds: DEADLINE_KINDS,
  }));

  app.get(
    '/api/v1/incidents',
    {
      config: { scope: 'incidents:read' },
      schema: {
        tags: ['incidents'],
        querystring: Type.Object({
          state: Type.Optional(Type.Array(Type.Enum(INCIDENT_STATES), { maxItems: 7 })),
          level: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
          rsitClass: Type.Optional(Type.String({ maxLength: 60 })),
          ownerId: Type.Optional(Type.String({ format: 'uuid' })),
          constituentId: Type.Optional(Type.String({ format: 'uuid' })),
          sector: Type.Optional(Type.String({ maxLength: 30 })),
          tlp: Type.Optional(Type.Enum(TLP_VALUES)),
          channel: Type.Optional(Type.String({ maxLength: 20 })),
          overdue: Type.Optional(Type.Boolean()),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          sort: Type.Optional(Type.Enum(['deadline', 'created', 'updated'])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          cursor: Type.Optional(Type.String({ maxLength: 300 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(IncidentSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const q = req.query;
      const sort = q.sort ?? 'deadline';
      const limit = q.limit ?? 50;
      const items = await c.incidents.list(req.actor, { ...q, sort, limit, after: q.cursor ? decodeCursor(q.cursor) : undefined });
      const last = items[items.length - 1];
      const key = (i: NonNullable<typeof last>) => (sort === 'deadline' ? (i.nextDeadline?.dueAt ?? null) : sort === 'created' ? i.createdAt : i.updatedAt);
      return { items, nextCursor: items.length === limit && last ? encodeCursor(key(last), last.id) : null };
    },
  );

  app.post('/api/v1/incidents', { config: { scope: 'incidents:write' }, schema: { tags: ['incidents'], body: CreateIncidentSchema, response: { 201: IncidentDetailSchema } } }, async (req, reply) =>
    reply.status(201).send(await c.incidents.create(req.actor, req.body)),
  );
  app.get('/api/v1/incidents/:id', { config: { scope: 'incidents:read' }, schema: { tags: ['incidents'], params: IdParam, response: { 200: IncidentDetailSchema } } }, async (req) => c.incidents.get(req.actor, req.params.id));
  app.patch('/api/v1/incidents/:id', { config: { scope: 'incidents:write' }, schema: { tags: ['incidents'], params: IdParam, body: UpdateIncidentSchema, response: { 200: IncidentDetailSchema } } }, async (req) =>
    c.incidents.update(req.actor, req.params.id, req.body),
  );
  app.post(
    '/api/v1/incidents/:id/reports',
    { config: { scope: 'incidents:write' }, schema: { tags: ['incidents'], params: IdParam, body: Type.Object({ reportIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 500, uniqueItems: true }) }, { additionalProperties: false }), response: { 200: IncidentDetailSchema } } },
    async (req) => c.incidents.link(req.actor, req.params.id, req.body.reportIds),
  );
  app.delete(
    '/api/v1/incidents/:id/reports/:reportId',
    { config: { scope: 'incidents:write' }, schema: { tags: ['incidents'], params: Type.Object({ id: Type.String({ format: 'uuid' }), reportId: Type.String({ format: 'uuid' }) }), response: { 200: IncidentDetailSchema } } },
    async (req) => c.incidents.unlink(req.actor, req.params.id, req.params.reportId),
  );
  app.post(
    '/api/v1/incidents/:id/merge',
    { config: { scope: 'incidents:write' }, schema: { tags: ['incidents'], params: IdParam, body: Type.Object({ sourceIncidentId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), response: { 200: Type.Object({ mergeId: Type.String() }) } } },
    async (req) => c.incidents.merge(req.actor, req.params.id, req.body.sourceIncidentId),
  );
  app.post('/api/v1/merges/:id/undo', { config: { scope: 'incidents:write' }, schema: { tags: ['incidents'], params: IdParam } }, async (req) => c.incidents.undoMerge(req.actor, req.params.id));
  app.post('/api/v1/incidents/:id/comments', { config: { scope: 'incidents:write' }, schema: { tags: ['incidents'], params: IdParam, body: CommentInputSchema, response: { 201: Created } } }, async (req, reply) =>
    reply.status(201).send(await c.incidents.comment(req.actor, req.params.id, req.body)),
  );
  app.post('/api/v1/incidents/:id/tasks', { config: { scope: 'incidents:write' }, schema: { tags: ['incidents'], params: IdParam, body: TaskInputSchema, response: { 201: Created } } }, async (req, reply) =>
    reply.status(201).send(await c.incidents.addTask(req.actor, req.params.id, req.body)),
  );
  app.patch('/api/v1/tasks/:id', { config: { scope: 'incidents:write' }, schema: { tags: ['incidents'], params: IdParam, body: TaskPatchSchema } }, async (req, reply) => {
    await c.incidents.updateTask(req.actor, req.params.id, req.body);
    return reply.status(204).send();
  });
  app.post('/api/v1/incidents/:id/handoffs', { config: { scope: 'incidents:write' }, schema: { tags: ['coordination'], params: IdParam, body: HandoffInputSchema, response: { 201: Created } } }, async (req, reply) =>
    reply.status(201).send(await c.incidents.handoff(req.actor, req.params.id, req.body)),
  );
  app.post('/api/v1/handoffs/:id/feedback', { config: { scope: 'handoffs:write' }, schema: { tags: ['coordination'], params: IdParam, body: FeedbackInputSchema, response: { 201: Created } } }, async (req, reply) =>
    reply.status(201).send(await c.incidents.feedback(req.actor, req.params.id, req.body)),
  );
  app.get('/api/v1/incidents/:id/history', { config: { scope: 'incidents:read' }, schema: { tags: ['incidents'], params: IdParam } }, async (req) => c.incidents.history(req.actor, req.params.id));

  app.get('/api/v1/deadline-policy', { schema: { tags: ['incidents'], response: { 200: PolicySchema } } }, async (req) => c.incidents.deadlinePolicy(req.actor));
  app.put('/api/v1/deadline-policy', { schema: { tags: ['admin'], body: PolicySchema, response: { 200: PolicySchema } } }, async (req) => c.incidents.setDeadlinePolicy(req.actor, req.body));
};
