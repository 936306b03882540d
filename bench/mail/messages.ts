/**
 * The two message kinds of bench/mail: a 2 KB plain report and a 200 KB PGP/MIME report
 * (encrypted to the team key and signed by the reporter, as GnuPG or Thunderbird would send it).
 */
import * as openpgp from 'openpgp';

const paragraph =
  '您好，我們發現一個偽冒網路銀行的釣魚網站 https://login.bank-example.phish/ ，請協助處理。' +
  'We found a phishing site imitating our online bank; the kit was uploaded on 2026-11-27. ';

function textOfSize(bytes: number): string {
  let s = '';
  while (Buffer.byteLength(s) < bytes) s += paragraph + '\n';
  return s;
}

function headers(subject: string, i: number): string {
  return `From: Reporter <reporter@example.com.tw>\r\nTo: cert@cert.example.tw\r\nSubject: ${subject}\r\nMessage-ID: <bench-${i}@example.com.tw>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\n`;
}

export function plainMessage(): string {
  const body = textOfSize(1600).replace(/\n/g, '\r\n');
  return `${headers('Phishing report', 0)}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}`;
}

export async function pgpMessage(teamPublicKey: openpgp.PublicKey, senderKey: openpgp.PrivateKey): Promise<string> {
  // ~150 KB of evidence (base64 of logs) + text: about 200 KB once encrypted and armored
  const evidence = Buffer.from(textOfSize(110_000)).toString('base64').replace(/(.{76})/g, '$1\r\n');
  const inner =
    'Content-Type: multipart/mixed; boundary="inner"\r\n\r\n' +
    `--inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${textOfSize(2000).replace(/\n/g, '\r\n')}\r\n` +
    `--inner\r\nContent-Type: text/plain; name="access.log"\r\nContent-Disposition: attachment; filename="access.log"\r\nContent-Transfer-Encoding: base64\r\n\r\n${evidence}\r\n--inner--\r\n`;
  const armored = await openpgp.encrypt({
    message: await openpgp.createMessage({ binary: Buffer.from(inner) }),
    encryptionKeys: teamPublicKey,
    signingKeys: senderKey,
    config: { preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed },
  });
  return (
    headers('Encrypted report', 1) +
    'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc"\r\n\r\n' +
    '--enc\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n' +
    `--enc\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n\r\n${armored.replace(/\r?\n/g, '\r\n')}\r\n--enc--\r\n`
  );
}
