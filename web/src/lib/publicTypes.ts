// Shapes of the public (no login) API, after /work API.md § Public.

export type Language = 'zh-TW' | 'en';

export const REPORT_CATEGORIES = [
  'phishing',
  'malware',
  'intrusion',
  'defacement',
  'ddos',
  'fraud',
  'vulnerability',
  'data-leak',
  'spam',
  'other',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const IMPACT_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type ImpactLevel = (typeof IMPACT_LEVELS)[number];

export interface PublicSettings {
  teamName: Record<Language, string>;
  email: string;
  phone: string;
  pgpFingerprint: string | null;
  pgpKeyUrl: string | null;
  /** Whether anonymous sample submission (POST /public/samples) is on; not sent by every server version. */
  anonymousSamples?: boolean;
  maxAttachmentBytes: number;
  maxAttachments: number;
  categories: string[];
}

export interface ReportBody {
  channel: 'web-general' | 'web-advanced' | 'phone';
  anonymous?: boolean;
  reporter?: { name?: string; organisation?: string; email?: string; phone?: string };
  language?: Language;
  category: string;
  title?: string;
  description: string;
  occurredAt?: string;
  discoveredAt?: string;
  assets?: string[];
  technical?: {
    sourceIps?: string[];
    destinationIps?: string[];
    sourcePorts?: number[];
    destinationPorts?: number[];
    protocol?: string;
    logs?: string;
    indicators?: string[];
    impact?: { confidentiality: ImpactLevel; integrity: ImpactLevel; availability: ImpactLevel };
    coreBusinessAffected?: boolean;
    criticalInfrastructureAffected?: boolean;
  };
}

export interface ReportCreated {
  id: string;
  trackingNumber: string;
  trackingToken: string;
  trackingUrl: string;
}

export const TRACK_STATUSES = ['received', 'in_progress', 'waiting_for_you', 'resolved', 'closed', 'rejected'] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];

export interface TrackMessage {
  id: string;
  from: 'team' | 'reporter';
  body: string;
  createdAt: string;
}

export interface TrackAttachment {
  id: string;
  filename: string;
  size: number;
  createdAt: string;
}

export interface TrackedReport {
  trackingNumber: string;
  status: TrackStatus;
  createdAt: string;
  category: string;
  title: string | null;
  description: string;
  assets: string[];
  messages: TrackMessage[];
  attachments: TrackAttachment[];
}
