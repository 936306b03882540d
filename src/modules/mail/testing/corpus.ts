import { randomBytes } from 'node:crypto';

/**
 * A mail corpus built in code: the shapes real intake meets (nested multiparts, Chinese subjects in
 * UTF-8/Big5/GB2312, wrong charsets, missing headers, oversized attachments, bombs). Test support only.
 */

/** Big5 and GB2312 bytes of fixed strings (encoded by hand-checked tables via TextDecoder round trips in tests). */
export const ZH_TW = '網路攻擊通報：釣魚網站';
export const ZH_CN = '网络攻击通报：钓鱼网站';

/** Encodes text in Big5 or GBK by searching the decoder's table (TextEncoder only does UTF-8). */
export function encodeLegacy(text: string, charset: 'big5' | 'gbk'): Buffer {
  const table = legacyTable(charset);
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const bytes = table.get(ch);
    if (!bytes) throw new Error(`${ch} not in ${charset}`);
    out.push(...bytes);
  }
  return Buffer.from(out);
}

const tables = new Map<string, Map<string, number[]>>();
function legacyTable(charset: 'big5' | 'gbk'): Map<string, number[]> {
  const cached = tables.get(charset);
  if (cached) return cached;
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder(charset);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.of(lead, trail));
      if (ch.length >= 1 && ch !== '\ufffd' && !table.has(ch) && [...ch].length === 1) table.set(ch, [lead, trail]);
    }
  }
  tables.set(charset, table);
  return table;
}

function b64Word(charset: string, bytes: Buffer): string {
  return `=?${charset}?B?${bytes.toString('base64')}?=`;
}

function qWord(charset: string, bytes: Buffer): string {
  return `=?${charset}?Q?${[...bytes].map((b) => (b >= 0x21 && b <= 0x7e && b !== 0x3d && b !== 0x3f && b !== 0x5f ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('')}?=`;
}

function crlf(s: string): string {
  return s.replace(/\r?\n/g, '\r\n');
}

export interface CorpusItem {
  name: string;
  raw: Buffer;
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

export function buildCorpus(opts: { bigAttachmentBytes: number }): Record<string, Buffer> {
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000)]);
  const big = randomBytes(opts.bigAttachmentBytes);
  const items: Record<string, Buffer> = {};

  items.plainEnglish = Buffer.from(
    crlf(`From: Alice Reporter <alice@example.net>
To: cert@cert.example.tw
Subject: Phishing site imitating our bank
Date: Fri, 27 Nov 2026 09:15:00 +0800
Message-ID: <plain-1@example.net>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Hello, we found a phishing site at https://bank.example.phish/login which imitates our bank.
Please help us to take it down.
`),
  );

  items.nested = Buffer.from(
    crlf(`From: =?UTF-8?B?${Buffer.from('林小姐').toString('base64')}?= <lin@example.com.tw>
To: cert@cert.example.tw
Subject: =?UTF-8?B?${Buffer.from('巢狀郵件 nested').toString('base64')}?=
Message-ID: <nested-1@example.com.tw>
In-Reply-To: <tocsin.abc@cert.example.tw>
References: <first@example.com.tw> <tocsin.abc@cert.example.tw>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

This is a multi-part message in MIME format.
--outer
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

=E6=88=91=E5=80=91=E7=99=BC=E7=8F=BE=E4=B8=80=E5=80=8B=E6=83=A1=E6=84=8F=E7=B6=B2=E7=AB=99=E3=80=82
--alt
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset=utf-8

<p>我們發現一個惡意網站。<img src="cid:logo@x"></p>
--rel
Content-Type: image/png
Content-ID: <logo@x>
Content-Transfer-Encoding: base64

${PNG.toString('base64')}
--rel--
--alt--
--outer
Content-Type: application/pdf; name="evidence.pdf"
Content-Disposition: attachment; filename="evidence.pdf"
Content-Transfer-Encoding: base64

${pdf.toString('base64').replace(/(.{76})/g, '$1\n')}
--outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename="original.eml"

From: attacker@evil.example
Subject: Your account is locked

Click here.
--outer--
`),
  );

  items.subjectUtf8 = Buffer.from(crlf(`From: a@example.tw\nSubject: ${b64Word('UTF-8', Buffer.from(ZH_TW))}\n\n內容\n`));
  items.subjectBig5 = Buffer.from(crlf(`From: a@example.tw\nSubject: ${b64Word('big5', encodeLegacy(ZH_TW, 'big5'))}\n\nbody\n`));
  items.subjectGb2312 = Buffer.from(crlf(`From: a@example.cn\nSubject: ${qWord('gb2312', encodeLegacy(ZH_CN, 'gbk'))}\n\nbody\n`));

  // Wrong charsets: Big5 body declared UTF-8; raw 8-bit Big5 subject; encoded word labelled UTF-8
  // holding Big5; UTF-8 body declared us-ascii; an unknown charset label.
  items.big5DeclaredUtf8 = Buffer.concat([
    Buffer.from('From: b@example.tw\r\nSubject: '),
    encodeLegacy(ZH_TW, 'big5'),
    Buffer.from('\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
    encodeLegacy(`${ZH_TW}，請協助處理。`, 'big5'),
    Buffer.from('\r\n'),
  ]);
  items.encodedWordMislabelled = Buffer.from(crlf(`From: c@example.tw\nSubject: ${b64Word('utf-8', encodeLegacy(ZH_TW, 'big5'))}\n\nbody\n`));
  items.utf8DeclaredAscii = Buffer.concat([
    Buffer.from('From: d@example.tw\r\nSubject: ascii?\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n'),
    Buffer.from(`${ZH_TW}\r\n`),
  ]);
  items.unknownCharset = Buffer.concat([
    Buffer.from('From: e@example.tw\r\nSubject: unknown\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\n'),
    Buffer.from(`${ZH_TW}\r\n`),
  ]);

  items.missingHeaders = Buffer.from(crlf(`\nOnly a body, no headers at all.\n`));
  items.noHeaderBlock = Buffer.from(crlf(`Just text without any header or blank line\nsecond line\n`));
  items.minimalHeaders = Buffer.from(crlf(`X-Nothing: here\n\nNo From, no Subject, no Date, no Message-ID.\n`));

  items.bigAttachment = Buffer.from(
    crlf(`From: f@example.net
Subject: huge attachment
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="zz"

--zz
Content-Type: text/plain

see attachment
--zz
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="dump.bin"
Content-Transfer-Encoding: base64

${big.toString('base64').replace(/(.{76})/g, '$1\n')}
--zz--
`),
  );

  let deep = 'From: bomb@example.net\r\nSubject: nesting bomb\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n';
  let tail = '';
  for (let i = 1; i <= 200; i++) {
    deep += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary="b${i}"\r\n\r\n`;
    tail = `\r\n--b${i - 1}--\r\n` + tail;
  }
  deep += '--b200\r\nContent-Type: text/plain\r\n\r\nboom\r\n--b200--\r\n' + tail;
  items.deepBomb = Buffer.from(deep);

  let wide = 'From: bomb@example.net\r\nSubject: width bomb\r\nContent-Type: multipart/mixed; boundary="w"\r\n\r\n';
  for (let i = 0; i < 5000; i++) wide += '--w\r\nContent-Type: text/plain\r\n\r\nx\r\n';
  wide += '--w--\r\n';
  items.wideBomb = Buffer.from(wide);

  items.htmlOnly = Buffer.from(
    crlf(`From: g@example.net
Subject: html only
Content-Type: text/html; charset=utf-8

<html><body><h1>Incident</h1><p>Server <b>10.0.0.1</b> was defaced.</p><script>alert(1)</script></body></html>
`),
  );

  items.brokenMultipart = Buffer.from(
    crlf(`From: h@example.net
Subject: no closing boundary
Content-Type: multipart/mixed; boundary="never-closed"

--never-closed
Content-Type: text/plain

truncated message body
`),
  );
  items.binaryGarbage = Buffer.concat([Buffer.from('Subject: garbage\r\n\r\n'), randomBytes(2048)]);
  return items;
}
