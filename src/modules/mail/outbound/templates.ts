import { Invalid } from '../../../lib/errors.js';

/**
 * Bilingual mail templates (zh-TW, en) and a deliberately small renderer: `{{name}}` placeholders
 * and nothing else — no logic, no helpers, no access to anything but the variables given. Templates
 * are data that administrators will edit, so they must not be able to run code or read other state.
 */
export type MailLanguage = 'zh-TW' | 'en';
export const MAIL_LANGUAGES: readonly MailLanguage[] = ['zh-TW', 'en'];

export interface MailTemplate {
  subject: string;
  text: string;
}

export type TemplateKey = 'acknowledgement' | 'reply' | 'notice';

export type TemplateSet = Record<TemplateKey, Record<MailLanguage, MailTemplate>>;

/** The variables each template may use; checked when an administrator saves an override. */
export const TEMPLATE_VARIABLES: Record<TemplateKey, readonly string[]> = {
  acknowledgement: ['teamName', 'trackingNumber', 'trackingUrl', 'originalSubject', 'teamEmail', 'teamFingerprint'],
  reply: ['teamName', 'trackingNumber', 'trackingUrl', 'originalSubject', 'body', 'agentName', 'teamEmail'],
  notice: ['teamName', 'trackingNumber', 'subject', 'body', 'teamEmail'],
};

export const DEFAULT_TEMPLATES: TemplateSet = {
  acknowledgement: {
    'zh-TW': {
      subject: '[{{trackingNumber}}] 已收到您的通報：{{originalSubject}}',
      text: `您好：

{{teamName}} 已收到您的通報，案件編號為 {{trackingNumber}}。
我們會儘速處理；如需補充資料，請直接回覆本信並保留主旨中的案件編號。

查詢處理進度：{{trackingUrl}}

本信為系統自動發送，並以本單位的 OpenPGP 金鑰簽章（指紋 {{teamFingerprint}}）。
如需加密傳送敏感資料，請使用同一把金鑰加密後寄至 {{teamEmail}}。

{{teamName}}
`,
    },
    en: {
      subject: '[{{trackingNumber}}] We received your report: {{originalSubject}}',
      text: `Hello,

{{teamName}} has received your report. Its tracking number is {{trackingNumber}}.
We will look into it as soon as possible. To add information, reply to this message and keep
the tracking number in the subject.

Follow the progress at: {{trackingUrl}}

This message was sent automatically and is signed with our OpenPGP key (fingerprint
{{teamFingerprint}}). To send sensitive material, encrypt it to that key and mail it to {{teamEmail}}.

{{teamName}}
`,
    },
  },
  reply: {
    'zh-TW': {
      subject: 'Re: [{{trackingNumber}}] {{originalSubject}}',
      text: `您好：

{{body}}

{{agentName}}
{{teamName}}
案件編號：{{trackingNumber}}｜查詢進度：{{trackingUrl}}
`,
    },
    en: {
      subject: 'Re: [{{trackingNumber}}] {{originalSubject}}',
      text: `Hello,

{{body}}

{{agentName}}
{{teamName}}
Tracking number: {{trackingNumber}} | Progress: {{trackingUrl}}
`,
    },
  },
  notice: {
    'zh-TW': {
      subject: '[{{trackingNumber}}] {{subject}}',
      text: `您好：

{{body}}

{{teamName}}（{{teamEmail}}）
`,
    },
    en: {
      subject: '[{{trackingNumber}}] {{subject}}',
      text: `Hello,

{{body}}

{{teamName}} ({{teamEmail}})
`,
    },
  },
};

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export type TemplateVariables = Record<string, string | number>;

/** Names of the placeholders a template text uses. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Problems with an administrator's template: unknown variables, leftover braces. Empty when fine. */
export function validateTemplate(key: TemplateKey, template: MailTemplate): string[] {
  const allowed = new Set(TEMPLATE_VARIABLES[key]);
  const problems: string[] = [];
  for (const [field, text] of Object.entries(template) as [keyof MailTemplate, string][]) {
    for (const name of placeholders(text)) if (!allowed.has(name)) problems.push(`${field}: unknown variable {{${name}}}`);
    if (/\{\{|\}\}/.test(text.replace(PLACEHOLDER, ''))) problems.push(`${field}: unbalanced braces`);
  }
  return problems;
}

export interface RenderOptions {
  /** Escape values for HTML. */
  html?: boolean;
  /** A single-line result (subjects): line breaks in values become spaces. */
  singleLine?: boolean;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Replaces `{{name}}` with the variable's value; an unknown name is an error, never silently empty. */
export function renderTemplateText(template: string, vars: TemplateVariables, opts: RenderOptions = {}): string {
  const out = template.replace(PLACEHOLDER, (_m, name: string) => {
    if (!Object.hasOwn(vars, name)) {
      throw new Invalid('mail.template.unknown-variable', `template uses {{${name}}}, which is not provided`, { params: { name } });
    }
    let value = String(vars[name]);
    if (opts.singleLine) value = value.replace(/[\r\n\t]+/g, ' ').trim();
    return opts.html ? escapeHtml(value) : value;
  });
  return opts.singleLine ? out.replace(/[\r\n]+/g, ' ').trim() : out;
}

export interface RenderedMail {
  subject: string;
  text: string;
  language: MailLanguage;
}

/**
 * Renders a template in a language, taking an administrator's override if there is one.
 * The template's known variables that are not given render empty; a placeholder that is not one of
 * the template's variables is an error.
 */
export function renderMail(
  key: TemplateKey,
  language: MailLanguage,
  vars: TemplateVariables,
  overrides: Partial<Record<TemplateKey, Partial<Record<MailLanguage, MailTemplate>>>> = {},
): RenderedMail {
  const template = overrides[key]?.[language] ?? DEFAULT_TEMPLATES[key][language];
  const full: TemplateVariables = {};
  for (const name of TEMPLATE_VARIABLES[key]) full[name] = Object.hasOwn(vars, name) ? vars[name]! : '';
  return {
    subject: renderTemplateText(template.subject, full, { singleLine: true }),
    text: renderTemplateText(template.text, full),
    language,
  };
}
