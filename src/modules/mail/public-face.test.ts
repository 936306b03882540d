import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTeamKey, loadTeamKey, wkdHash, type TeamKey } from '../../lib/pgp.js';
import { GnuPG } from '../../lib/pgp/testing/gnupg.js';
import { buildSecurityTxt, publishedTeamKey, renderRfc2350, signedRfc2350, signedSecurityTxt, validateSecurityTxt, type SecurityTxtSettings, type TeamProfile } from './public-face.js';

const now = new Date('2026-11-27T00:00:00Z');
const settings: SecurityTxtSettings = {
  comments: ['TWCERT/CC security contact'],
  contacts: ['mailto:twcert@cert.org.tw', 'tel:+886-2-0000-0000'],
  expires: new Date('2027-06-30T00:00:00Z'),
  encryption: ['https://www.twcert.org.tw/pgp-key.asc'],
  preferredLanguages: ['zh-TW', 'en'],
  canonical: ['https://www.twcert.org.tw/.well-known/security.txt'],
  policy: ['https://www.twcert.org.tw/disclosure-policy'],
};

let gpg: GnuPG;
let team: TeamKey;

beforeAll(async () => {
  const material = await generateTeamKey({
    identities: [
      { name: 'TWCERT/CC', email: 'twcert@cert.org.tw' },
      { name: 'TWCERT/CC reports', email: 'report@cert.org.tw' },
    ],
    passphrase: 'public face passphrase',
  });
  team = await loadTeamKey(material.armoredPrivateKey, 'public face passphrase');
  gpg = await GnuPG.create();
  await gpg.importKey(material.armoredPublicKey);
});
afterAll(async () => {
  await gpg?.close();
});

describe('security.txt (RFC 9116)', () => {
  it('is generated with every field and cleartext-signed so that gpg --verify accepts it', async () => {
    const text = buildSecurityTxt(settings, now);
    expect(text).toBe(
      [
        '# TWCERT/CC security contact',
        'Contact: mailto:twcert@cert.org.tw',
        'Contact: tel:+886-2-0000-0000',
        'Expires: 2027-06-30T00:00:00Z',
        'Encryption: https://www.twcert.org.tw/pgp-key.asc',
        'Preferred-Languages: zh-TW, en',
        'Canonical: https://www.twcert.org.tw/.well-known/security.txt',
        'Policy: https://www.twcert.org.tw/disclosure-policy',
        '',
      ].join('\n'),
    );
    const signed = await signedSecurityTxt(settings, team, now);
    expect(signed.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA')).toBe(true);
    const verify = await gpg.run(['--verify'], signed);
    expect(verify.status.some((l) => l.startsWith(`VALIDSIG ${team.fingerprint}`))).toBe(true);
    const tampered = signed.replace('twcert@cert.org.tw', 'attacker@evil.example');
    const bad = await gpg.run(['--verify'], tampered, true);
    expect(bad.code).not.toBe(0);
    expect(bad.status.some((l) => l.startsWith('BADSIG'))).toBe(true);
  });

  it('refuses invalid settings with field problems', () => {
    const problems = validateSecurityTxt(
      { contacts: [], expires: new Date('2026-01-01T00:00:00Z'), canonical: ['http://insecure.example/security.txt'], preferredLanguages: ['zh TW'] },
      now,
    );
    expect(problems.map((p) => `${p.field}:${p.code}`).sort()).toEqual(['canonical:invalid-scheme', 'contacts:required', 'expires:in-the-past', 'preferredLanguages:invalid-tag']);
    expect(validateSecurityTxt({ ...settings, expires: new Date('2028-06-30T00:00:00Z') }, now).map((p) => p.code)).toEqual(['too-far']);
    expect(() => buildSecurityTxt({ ...settings, contacts: ['javascript:alert(1)'] }, now)).toThrow(expect.objectContaining({ code: 'mail.security-txt.invalid' }));
  });
});

describe('team key publication (WKD)', () => {
  it('serves one binary key per address at the path gpg computes, with only that user ID', async () => {
    const published = await publishedTeamKey(team);
    expect(published.fingerprint).toBe(team.fingerprint);
    expect(published.armored).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    expect(published.wkd.map((w) => w.path).sort()).toEqual([`/.well-known/openpgpkey/hu/${wkdHash('report')}`, `/.well-known/openpgpkey/hu/${wkdHash('twcert')}`].sort());
    const { stdout } = await gpg.run(['--with-wkd-hash', '--list-keys', team.fingerprint]);
    for (const w of published.wkd) {
      expect(stdout.toString()).toContain(`${w.hash}@cert.org.tw`);
      const key = await openpgp.readKey({ binaryKey: w.body });
      expect(key.getUserIDs()).toHaveLength(1);
      expect(key.getUserIDs()[0]).toContain(w.email);
      expect(key.getFingerprint().toUpperCase()).toBe(team.fingerprint);
    }
    expect(published.wkdPolicy).toMatch(/^#/);
  });
});

describe('RFC 2350 team description', () => {
  const l = (zh: string, en: string) => ({ 'zh-TW': zh, en });
  const profile: TeamProfile = {
    name: l('台灣電腦網路危機處理暨協調中心', 'Taiwan Computer Emergency Response Team / Coordination Center'),
    shortName: 'TWCERT/CC',
    lastUpdated: new Date('2026-11-01T00:00:00Z'),
    documentLocations: ['https://www.twcert.org.tw/rfc2350.txt'],
    address: l('台北市某路 1 號', '1 Example Road, Taipei, Taiwan'),
    timeZone: 'Asia/Taipei (UTC+8)',
    telephone: '+886-2-0000-0000',
    email: 'twcert@cert.org.tw',
    reportEmail: 'report@cert.org.tw',
    keyFingerprint: '0000000000000000000000000000000000000000',
    keyUrl: 'https://www.twcert.org.tw/pgp-key.asc',
    pointsOfContact: l('上班時間：週一至週五 09:00–18:00', 'Office hours: Monday to Friday 09:00–18:00'),
    mission: l('協助國內企業與民眾處理資安事件。', 'We help organisations and people in Taiwan handle security incidents.'),
    constituency: l('臺灣之企業與民眾。', 'Businesses and the public in Taiwan.'),
    sponsorship: l('數位發展部。', 'Ministry of Digital Affairs.'),
    authority: l('無強制權限，以協調為主。', 'No enforcement authority; we coordinate.'),
    incidentTypes: l('各類資安事件。', 'All kinds of security incidents.'),
    cooperation: l('依 TLP 2.0 分享資訊。', 'Information is shared following TLP 2.0.'),
    communication: l('敏感資訊請以 PGP 加密。', 'Please encrypt sensitive information with PGP.'),
    incidentResponse: l('分級、協調、處理。', 'Triage, coordination, resolution.'),
    proactiveActivities: l('資安預警與公告。', 'Alerts and advisories.'),
    reportingForms: l('https://www.twcert.org.tw/report', 'https://www.twcert.org.tw/report'),
    disclaimers: l('本中心不對資訊使用結果負責。', 'We accept no liability for the use of this information.'),
  };

  it('renders every RFC 2350 section in zh-TW and en from one settings object', () => {
    const en = renderRfc2350(profile, 'en');
    const zh = renderRfc2350(profile, 'zh-TW');
    for (const heading of ['1. Document Information', '2.8 Public Keys and Encryption Information', '3.2 Constituency', '4.3 Communication and Authentication', '5.2 Proactive Activities', '6. Incident Reporting Forms', '7. Disclaimers']) {
      expect(en).toContain(heading);
    }
    expect(en).toContain('Fingerprint: 0000 0000 0000 0000 0000  0000 0000 0000 0000 0000');
    expect(en).toContain('Incident reports: report@cert.org.tw');
    expect(en).toContain('2.5 Facsimile Number\n\n   Not available.');
    expect(zh).toContain('2.8 公開金鑰與加密資訊');
    expect(zh).toContain('臺灣之企業與民眾。');
    expect(zh).toContain('2.5 傳真\n\n   無。');
    expect(zh.split('\n')[0]).toBe('台灣電腦網路危機處理暨協調中心 (TWCERT/CC)');
  });

  it('is signed with the team key as section 1.4 promises', async () => {
    const signed = await signedRfc2350(profile, 'zh-TW', team);
    const verify = await gpg.run(['--verify'], signed);
    expect(verify.status.some((l) => l.startsWith(`VALIDSIG ${team.fingerprint}`))).toBe(true);
  });
});
