// Mail template rules, mirroring the server (src/modules/mail/outbound/templates.ts): `{{name}}`
// placeholders from a per-template list, and no stray braces. The server's problems arrive as
// English text ("subject: unknown variable {{x}}"); they are parsed back here to be shown in the
// UI language next to the right field.

import type { MailLanguage, MailTemplate, TemplateKey, TemplateOverrides, TemplatesView } from './types.js';
import { MAIL_LANGUAGES, TEMPLATE_KEYS } from './types.js';

export type TemplatePart = 'subject' | 'text';
export type TemplateProblem = { kind: 'unknown-variable'; name: string } | { kind: 'unbalanced' } | { kind: 'required' } | { kind: 'tooLong' } | { kind: 'other'; message: string };

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Problems of one template part, as the server would find them (plus an empty part, which its schema refuses). */
export function templateProblems(text: string, allowed: readonly string[]): TemplateProblem[] {
  if (text.trim() === '') return [{ kind: 'required' }];
  const problems: TemplateProblem[] = [];
  for (const name of new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))) {
    if (!allowed.includes(name)) problems.push({ kind: 'unknown-variable', name });
  }
  if (/\{\{|\}\}/.test(text.replace(PLACEHOLDER, ''))) problems.push({ kind: 'unbalanced' });
  return problems;
}

/** A server problem message → which part it concerns and what it says. */
export function parseServerProblem(message: string): { part: TemplatePart | null; problem: TemplateProblem } {
  const match = /^(subject|text):\s*(.*)$/s.exec(message);
  const part = (match?.[1] as TemplatePart | undefined) ?? null;
  const rest = match?.[2] ?? message;
  const unknown = /^unknown variable \{\{\s*([^}]*?)\s*\}\}$/.exec(rest);
  if (unknown) return { part, problem: { kind: 'unknown-variable', name: unknown[1] ?? '' } };
  if (/^unbalanced braces$/.test(rest)) return { part, problem: { kind: 'unbalanced' } };
  return { part, problem: { kind: 'other', message: rest } };
}

export type TemplateDrafts = Record<TemplateKey, Record<MailLanguage, MailTemplate>>;

/** What the editor starts from: each override, or the built-in default. */
export function draftsFrom(view: TemplatesView): TemplateDrafts {
  const drafts = {} as TemplateDrafts;
  for (const key of TEMPLATE_KEYS) {
    drafts[key] = {} as Record<MailLanguage, MailTemplate>;
    for (const lang of MAIL_LANGUAGES) {
      drafts[key][lang] = view.overrides[key]?.[lang] ?? view.defaults[key]?.[lang] ?? { subject: '', text: '' };
    }
  }
  return drafts;
}

/** The overrides to store: only templates that differ from the default (so later default fixes still apply). */
export function overridesFrom(drafts: TemplateDrafts, view: TemplatesView): TemplateOverrides {
  const out: TemplateOverrides = {};
  for (const key of TEMPLATE_KEYS) {
    for (const lang of MAIL_LANGUAGES) {
      const draft = drafts[key][lang];
      const fallback = view.defaults[key]?.[lang];
      if (fallback && draft.subject === fallback.subject && draft.text === fallback.text) continue;
      (out[key] ??= {})[lang] = { subject: draft.subject, text: draft.text };
    }
  }
  return out;
}
