// Shapes of the staff API (src/modules/*/…schemas.ts in the server).

import type { Language } from '../../lib/publicTypes.js';

export const ROLES = ['admin', 'coordinator', 'analyst', 'auditor', 'partner', 'constituent'] as const;
export type Role = (typeof ROLES)[number];
export const HANDLER_ROLES: readonly string[] = ['admin', 'coordinator', 'analyst'];
export const STAFF_ROLES: readonly string[] = ['admin', 'coordinator', 'analyst', 'auditor'];

export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: string;
  organisationId: string | null;
  language: string;
  mfaEnabled: boolean;
  disabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface SessionInfo {
  user: User & { mfaRequired: boolean };
  csrfToken: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ReportSummary {
  id: string;
  trackingNumber: string;
  channel: string;
  status: string;
  category: string;
  title: string | null;
  excerpt: string;
  assets: string[];
  incidentId: string | null;
  organisationId: string | null;
  createdAt: string;
}

export interface AttachmentInfo {
  id: string;
  filename: string;
  size: number;
  contentType: string;
  sha256: string;
  createdAt: string;
}

export interface ReportDetail extends ReportSummary {
  description: string;
  language: string;
  anonymous: boolean;
  reporter: { name: string | null; organisation: string | null; email: string | null; phone: string | null };
  occurredAt: string | null;
  discoveredAt: string | null;
  technical: Record<string, unknown> | null;
  pgp: Record<string, unknown> | null;
  rejectionNote: string | null;
  messages: { id: string; from: string; body: string; createdAt: string }[];
  attachments: AttachmentInfo[];
  updatedAt: string;
}

export const TLP_VALUES = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_VALUES)[number];
export const INCIDENT_STATES = ['new', 'triage', 'in_progress', 'waiting', 'resolved', 'closed', 'rejected'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];
export const OPEN_STATES: readonly IncidentState[] = ['new', 'triage', 'in_progress', 'waiting'];

/** Allowed state changes (mirrors the server's TRANSITIONS). */
export const TRANSITIONS: Record<IncidentState, readonly IncidentState[]> = {
  new: ['triage', 'in_progress', 'waiting', 'resolved', 'rejected'],
  triage: ['in_progress', 'waiting', 'resolved', 'rejected'],
  in_progress: ['waiting', 'resolved', 'rejected'],
  waiting: ['in_progress', 'resolved', 'rejected'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
  rejected: ['triage'],
};

export interface NextDeadline {
  kind: string;
  dueAt: string;
  overdue: boolean;
}

export interface IncidentSummary {
  id: string;
  number: string;
  title: string;
  state: string;
  rsitClass: string | null;
  rsitType: string | null;
  tlp: string;
  level: number | null;
  ownerId: string | null;
  constituentId: string | null;
  sector: string | null;
  nextDeadline: NextDeadline | null;
  createdAt: string;
  updatedAt: string;
}

export interface Deadline {
  kind: string;
  dueAt: string;
  metAt: string | null;
  overdue: boolean;
}

export interface IncidentComment {
  id: string;
  authorId: string;
  body: string;
  visibility: string;
  createdAt: string;
}

export interface IncidentTask {
  id: string;
  title: string;
  dueAt: string | null;
  doneAt: string | null;
  createdAt: string;
}

export interface HandoffFeedback {
  id: string;
  authorId: string;
  body: string;
  status: string | null;
  createdAt: string;
}

export interface Handoff {
  id: string;
  partnerId: string;
  note: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  feedback: HandoffFeedback[];
}

export interface IncidentDetail extends IncidentSummary {
  advice: string | null;
  mergedIntoId: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  deadlines: Deadline[];
  reports: ReportSummary[];
  comments: IncidentComment[];
  tasks: IncidentTask[];
  handoffs: Handoff[];
}

export interface HistoryEntry {
  id: string;
  at: string;
  actorId: string | null;
  action: string;
  changes: Record<string, unknown>;
}

export type Label = Record<Language, string>;

export interface Taxonomy {
  rsit: { id: string; label: Label; types: { id: string; label: Label }[] }[];
  tlp: string[];
  levels: number[];
  states: string[];
  sectors: string[];
  deadlineKinds: string[];
}

export interface Partner {
  id: string;
  shortName: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  sector: string | null;
  country: string;
  email: string | null;
}

export const NOTIFY_MODES = ['immediate', 'daily', 'weekly'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];
export const CONTACT_LANGUAGES = ['zh-TW', 'en'] as const;

/** A constituent's contact (src/modules/constituents/constituents.schemas.ts). */
export interface ConstituentContactInput {
  /** An existing contact's id: it keeps its identity (notices name it) even when its address changes. */
  id?: string;
  name: string;
  role: string;
  email: string;
  pgpKey: string | null;
  language: (typeof CONTACT_LANGUAGES)[number];
  notifyMode: NotifyMode;
  tlpCeiling: Tlp;
  /** RSIT types (classification.type) this contact wants; empty: all. */
  eventTypes: string[];
}

export interface ConstituentContact extends Omit<ConstituentContactInput, 'id'> {
  id: string;
}

export interface Constituent {
  id: string;
  name: string;
  sector: string;
  partnerId: string | null;
  netblocks: string[];
  asns: number[];
  domains: string[];
  /** Personal data: only reading one constituent returns them; lists leave them empty and count them. */
  contacts: ConstituentContact[];
  contactCount: number;
  createdAt: string;
  updatedAt: string;
}

/** Body of POST /constituents; PATCH takes any non-empty part of it. Scope entries as typed (ASNs may carry "AS"). */
export interface ConstituentInput {
  name: string;
  sector: string;
  partnerId: string | null;
  netblocks: string[];
  asns: string[];
  domains: string[];
  contacts: ConstituentContactInput[];
}

export interface ConstituentImportResult {
  created: number;
  updated: number;
  rows: number;
}

export interface Stats {
  from: string;
  to: string;
  incidents: number;
  reports: number;
  byRsitClass: Record<string, number>;
  byLevel: Record<string, number>;
  bySector: Record<string, number>;
  byChannel: Record<string, number>;
  byMonth: Record<string, number>;
  medianFirstResponseMinutes: number | null;
  deadlines: { total: number; met: number; metOnTime: number; overdueOpen: number };
}

export interface SiteSettings {
  teamName: Label;
  email: string;
  phone: string;
  trackingPrefix: string;
  incidentPrefix: string;
  requireMfa: boolean;
}

export type HoursByLevel = Record<'1' | '2' | '3' | '4', number>;

export interface DeadlinePolicy {
  levelReviewHours: HoursByLevel;
  containmentHours: HoursByLevel;
  improvementReportMonths: number;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  prevHash: string;
  hash: string;
}
