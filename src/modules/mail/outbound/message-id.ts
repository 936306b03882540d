import { randomBytes } from 'node:crypto';

/**
 * Message-IDs of mail we send: `<tocsin.<random>@<domain>>`. Recognising them on inbound mail
 * detects loops (our own message coming back, e.g. via an auto-forwarder).
 */
const PREFIX = 'tocsin.';

export function newMessageId(domain: string): string {
  return `<${PREFIX}${randomBytes(12).toString('base64url')}@${domain.toLowerCase()}>`;
}

/** A predicate for parseInbound: true for ids (with or without angle brackets) we generated for `domains`. */
export function ownMessageIdMatcher(domains: readonly string[]): (messageId: string) => boolean {
  const wanted = new Set(domains.map((d) => d.toLowerCase()));
  return (messageId) => {
    const id = messageId.trim().replace(/^<|>$/g, '');
    const at = id.lastIndexOf('@');
    return id.startsWith(PREFIX) && at > 0 && wanted.has(id.slice(at + 1).toLowerCase());
  };
}
