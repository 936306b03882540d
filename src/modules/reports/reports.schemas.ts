import { Type, type Static } from 'typebox';

export const CHANNELS = ['web-general', 'web-advanced', 'email', 'phone', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CATEGORIES = ['phishing', 'malware', 'intrusion', 'defacement', 'ddos', 'fraud', 'vulnerability', 'data-leak', 'spam', 'other'] as const;
export const REPORT_STATUSES = ['new', 'linked', 'rejected', 'spam'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const TRACKING_STATUSES = ['received', 'in_progress', 'waiting_for_you', 'resolved', 'closed', 'rejected'] as const;

const Impact = Type.Union([Type.Literal('none'), Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);
const Iso = Type.String({ format: 'date-time', maxLength: 40 });
const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const shortText = (max: number) => Type.String({ maxLength: max });

export const ReporterSchema = Type.Object(
  {
    name: Type.Optional(shortText(200)),
    organisation: Type.Optional(shortText(200)),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    phone: Type.Optional(Type.String({ maxLength: 50, pattern: '^[0-9+()#*\\-. ]*$' })),
  },
  { additionalProperties: false },
);

export const TechnicalSchema = Type.Object(
  {
    sourceIps: Type.Optional(Type.Array(shortText(100), { maxItems: 100 })),
    destinationIps: Type.Optional(Type.Array(shortText(100), { maxItems: 100 })),
    sourcePorts: Type.Optional(Type.Array(Port, { maxItems: 100 })),
    destinationPorts: Type.Optional(Type.Array(Port, { maxItems: 100 })),
    protocol: Type.Optional(Type.String({ maxLength: 30, pattern: '^[A-Za-z0-9_./+-]*$' })),
    logs: Type.Optional(shortText(100_000)),
    indicators: Type.Optional(Type.Array(shortText(2048), { maxItems: 500 })),
    impact: Type.Optional(Type.Object({ confidentiality: Impact, integrity: Impact, availability: Impact }, { additionalProperties: false })),
    coreBusinessAffected: Type.Optional(Type.Boolean()),
    criticalInfrastructureAffected: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CreateReportSchema = Type.Object(
  {
    channel: Type.Enum(CHANNELS),
    anonymous: Type.Optional(Type.Boolean()),
    reporter: Type.Optional(ReporterSchema),
    language: Type.Optional(Type.Union([Type.Literal('zh-TW'), Type.Literal('en')])),
    category: Type.Enum(CATEGORIES),
    title: Type.Optional(shortText(200)),
    description: Type.String({ minLength: 1, maxLength: 20_000 }),
    occurredAt: Type.Optional(Iso),
    discoveredAt: Type.Optional(Iso),
    assets: Type.Optional(Type.Array(shortText(4096), { maxItems: 100 })),
    technical: Type.Optional(TechnicalSchema),
  },
  { additionalProperties: false },
);
export type CreateReportInput = Static<typeof CreateReportSchema>;

export const CreatedReportSchema = Type.Object({
  id: Type.String(),
  trackingNumber: Type.String(),
  trackingToken: Type.String(),
  trackingUrl: Type.String(),
});

export const TrackingViewSchema = Type.Object({
  trackingNumber: Type.String(),
  status: Type.Enum(TRACKING_STATUSES),
  createdAt: Type.String(),
  category: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  assets: Type.Array(Type.String()),
  messages: Type.Array(Type.Object({ id: Type.String(), from: Type.Union([Type.Literal('team'), Type.Literal('reporter')]), body: Type.String(), createdAt: Type.String() })),
  attachments: Type.Array(Type.Object({ id: Type.String(), filename: Type.String(), size: Type.Number(), createdAt: Type.String() })),
});
export type TrackingView = Static<typeof TrackingViewSchema>;

export const ReporterMessageSchema = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false });

export const AttachmentInfoSchema = Type.Object({ id: Type.String(), filename: Type.String(), size: Type.Number(), contentType: Type.String(), sha256: Type.String(), createdAt: Type.String() });

export const ReportSummarySchema = Type.Object({
  id: Type.String(),
  trackingNumber: Type.String(),
  channel: Type.String(),
  status: Type.String(),
  category: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  excerpt: Type.String(),
  assets: Type.Array(Type.String()),
  incidentId: Type.Union([Type.String(), Type.Null()]),
  organisationId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type ReportSummary = Static<typeof ReportSummarySchema>;

export const ReportDetailSchema = Type.Object({
  ...ReportSummarySchema.properties,
    description: Type.String(),
    language: Type.String(),
    anonymous: Type.Boolean(),
    reporter: Type.Object({ name: Type.Union([Type.String(), Type.Null()]), organisation: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]) }),
    occurredAt: Type.Union([Type.String(), Type.Null()]),
    discoveredAt: Type.Union([Type.String(), Type.Null()]),
    technical: Type.Union([TechnicalSchema, Type.Null()]),
    pgp: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    rejectionNote: Type.Union([Type.String(), Type.Null()]),
    messages: Type.Array(Type.Object({ id: Type.String(), from: Type.String(), body: Type.String(), createdAt: Type.String() })),
    attachments: Type.Array(AttachmentInfoSchema),
    updatedAt: Type.String(),
});
export type ReportDetail = Static<typeof ReportDetailSchema>;
