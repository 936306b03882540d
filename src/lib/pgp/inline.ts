import * as openpgp from 'openpgp';
import { errorMessage, type TeamKey } from './keys.js';
import { openPgpMessage, type DecryptContext } from './decrypt.js';
import { emptyPgpStatus, mergePgpStatus, type PgpStatus } from './status.js';
import { evaluateSignatures, failed, type VerifyContext } from './verify.js';

/* ------------------------------------------------------------------ cleartext signatures */

/** Cleartext-signs text with the team key (as for security.txt); `gpg --verify` accepts the result. */
export async function clearsign(text: string, team: TeamKey): Promise<string> {
  const message = await openpgp.createCleartextMessage({ text });
  return openpgp.sign({ message, signingKeys: team.privateKey, format: 'armored' });
}

export interface CleartextResult {
  /** The signed text (dash-escaping undone), or null when the block could not be read. */
  text: string | null;
  status: PgpStatus;
}

export async function verifyCleartext(armored: string, ctx: VerifyContext): Promise<CleartextResult> {
  let message: openpgp.CleartextMessage;
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: armored });
  } catch (err) {
    return { text: null, status: failed('cleartext', 'malformed', `not a cleartext-signed message: ${errorMessage(err)}`, true) };
  }
  const keyIds = message.getSigningKeyIDs().map((k) => k.toHex());
  const keys = await ctx.lookupKeys(keyIds);
  try {
    const result = await openpgp.verify({ message, verificationKeys: keys, ...(ctx.date ? { date: ctx.date } : {}) });
    const status = await evaluateSignatures(result.signatures, keys, 'cleartext', ctx.fromAddress);
    if (keys.length === 0 && !status.failure) status.failure = { code: 'unknown-signer', detail: `signed by key ${keyIds.join(', ')}, which is not known` };
    return { text: message.getText(), status };
  } catch (err) {
    return { text: message.getText(), status: failed('cleartext', 'malformed', errorMessage(err), true) };
  }
}

/* ------------------------------------------------------------------ inline PGP in text bodies */

export interface InlinePgpResult {
  /** The text with every readable armored block replaced by its content. */
  text: string;
  status: PgpStatus;
  /** Number of armored blocks found. */
  blocks: number;
}

const BLOCK_RE =
  /-----BEGIN PGP (MESSAGE|SIGNED MESSAGE)-----[\s\S]*?-----END PGP (?:MESSAGE|SIGNATURE)-----/g;
const MAX_INLINE_BLOCKS = 16;

/**
 * Opens inline PGP in a text body: encrypted blocks (BEGIN PGP MESSAGE) are decrypted with the team
 * key, cleartext-signed blocks (BEGIN PGP SIGNED MESSAGE) are verified. Text around the blocks is
 * kept. A block that cannot be opened stays as it is and the status says why.
 */
export async function openInlinePgp(text: string, ctx: DecryptContext): Promise<InlinePgpResult> {
  let status = emptyPgpStatus();
  let out = '';
  let last = 0;
  let blocks = 0;
  for (const match of text.matchAll(BLOCK_RE)) {
    if (blocks >= MAX_INLINE_BLOCKS) break;
    blocks++;
    const block = match[0];
    const at = match.index;
    out += text.slice(last, at);
    last = at + block.length;
    if (match[1] === 'MESSAGE') {
      const result = await openPgpMessage(block, ctx, 'inline');
      // an unreadable PGP MESSAGE block is content we could not read: treat it as encrypted
      const layer = result.status.failure?.code === 'malformed' ? { ...result.status, encrypted: true } : result.status;
      status = mergePgpStatus(status, layer);
      out += result.data ? new TextDecoder('utf-8').decode(result.data) : block;
    } else {
      const result = await verifyCleartext(block, ctx);
      status = mergePgpStatus(status, { ...result.status, formats: ['inline'] });
      out += result.text ?? block;
    }
  }
  out += text.slice(last);
  return { text: out, status, blocks };
}

/** Whether a text carries an inline PGP block worth opening. */
export function hasInlinePgp(text: string): boolean {
  return text.includes('-----BEGIN PGP MESSAGE-----') || text.includes('-----BEGIN PGP SIGNED MESSAGE-----');
}

