// Shapes of the mail API (src/modules/mail/mail.schemas.ts in the server).

export interface QuarantineItem {
  id: string;
  code: string;
  detail: string;
  from: string | null;
  subject: string | null;
  messageId: string | null;
  date: string | null;
  receivedAt: string;
  quarantinedAt: string | null;
  size: number;
  source: string;
}

export type ReleaseOutcome =
  | { outcome: 'processed'; reportId?: string | null }
  | { outcome: 'quarantined'; code?: string; detail?: string }
  | { outcome: 'pending'; error?: string };

export const OUTBOX_STATES = ['queued', 'sent', 'failed', 'bounced'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxItem {
  id: string;
  kind: string;
  state: string;
  to: { name?: string; address: string }[];
  from: string;
  subject: string;
  language: string;
  reportId: string | null;
  incidentId: string | null;
  commentId: string | null;
  messageId: string;
  encrypted: boolean | null;
  attempts: number;
  lastError: string | null;
  relayResponse: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

export interface OutboxPage {
  items: OutboxItem[];
  counts: Record<string, number>;
  nextCursor: string | null;
}

export const TEMPLATE_KEYS = ['acknowledgement', 'reply', 'notice'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];
export const MAIL_LANGUAGES = ['zh-TW', 'en'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

export interface MailTemplate {
  subject: string;
  text: string;
}

export type TemplateOverrides = Partial<Record<TemplateKey, Partial<Record<MailLanguage, MailTemplate>>>>;

export interface TemplatesView {
  defaults: Record<string, Record<string, MailTemplate>>;
  overrides: TemplateOverrides;
  variables: Record<string, string[]>;
}

export interface TeamKey {
  fingerprint: string;
  formattedFingerprint: string;
  emails: string[];
  armored: string;
  url: string;
}

export interface ContactKey {
  fingerprint: string;
  keyId: string;
  userIds: string[];
  emails: string[];
  algorithm: string;
  createdAt: string;
  expiresAt: string | null;
  expired: boolean;
  revoked: boolean;
  canEncrypt: boolean;
  canSign: boolean;
  source: string;
  addedAt: string;
  armored: string;
}

export type Localized = Record<MailLanguage, string>;

export const RFC2350_SECTIONS = [
  'address',
  'pointsOfContact',
  'mission',
  'constituency',
  'sponsorship',
  'authority',
  'incidentTypes',
  'cooperation',
  'communication',
  'incidentResponse',
  'proactiveActivities',
  'reportingForms',
  'disclaimers',
] as const;
export type Rfc2350Section = (typeof RFC2350_SECTIONS)[number];

/** security.txt and RFC 2350 settings (GET/PUT /mail/profile, administrators). */
export interface MailProfile {
  securityTxt: { policy: string | null; acknowledgments: string | null; hiring: string | null; expiresDays: number };
  rfc2350: { shortName: string; lastUpdated: string; timeZone: string } & Record<Rfc2350Section, Localized>;
}
