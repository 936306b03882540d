/**
 * The mail module's core: inbound (spool, SMTP listener, IMAP polling, parsing), outbound
 * (PGP/MIME composition, templates, relay) and the team's public face (security.txt, WKD, RFC 2350).
 * OpenPGP itself lives in src/lib/pgp.ts.
 */
export * from './inbound/index.js';
export * from './outbound/index.js';
export {
  buildSecurityTxt,
  signedSecurityTxt,
  validateSecurityTxt,
  publishedTeamKey,
  renderRfc2350,
  signedRfc2350,
  type SecurityTxtSettings,
  type PublishedKey,
  type TeamProfile,
  type Localized,
  type Lang,
} from './public-face.js';
export { silentLogger, type MailLogger } from './logger.js';
