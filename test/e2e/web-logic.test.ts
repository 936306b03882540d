// Fast checks of the web app's pure logic (client validation mirroring the server, the report
// body sent to the API, the statistics CSV, the mail template rules). Kept here, beside the browser tests, because
// Vitest's include covers src/ and test/ only.
import { describe, expect, it } from 'vitest';
import { isAsset, isCidr, isEmail, isIPv4, isIPv6, isPort, isUrl, splitList } from '../../web/src/lib/validation.js';
import { EMPTY_VALUES } from '../../web/src/features/portal/report/formValues.js';
import type { ReportFormValues } from '../../web/src/features/portal/report/formValues.js';
import { hasErrors, validateReport } from '../../web/src/features/portal/report/validateReport.js';
import { toReportBody } from '../../web/src/features/portal/report/toReportBody.js';
import { statsToCsv } from '../../web/src/features/console/stats/statsCsv.js';
import { draftsFrom, overridesFrom, parseServerProblem, templateProblems } from '../../web/src/features/console/mail/templateRules.js';

const values = (patch: Partial<ReportFormValues>): ReportFormValues => ({ ...EMPTY_VALUES, ...patch });

describe('client validation rules', () => {
  it('accepts and refuses addresses like the server', () => {
    expect(['192.0.2.1', '0.0.0.0'].every(isIPv4)).toBe(true);
    expect(['256.1.1.1', '01.2.3.4', '1.2.3'].some(isIPv4)).toBe(false);
    expect(['::1', '2001:db8::1', '::ffff:192.0.2.1', 'fe80::1%eth0', '1:2:3:4:5:6:7:8'].every(isIPv6)).toBe(true);
    expect(['1::2::3', 'fe80::1:', '1:2:3:4:5:6:7:8:9', '12345::'].some(isIPv6)).toBe(false);
    expect(isCidr('10.0.0.0/8') && isCidr('2001:db8::/32')).toBe(true);
    expect(isCidr('10.0.0.0/33') || isCidr('2001:db8::/129')).toBe(false);
    expect(isUrl('https://example.com/a?b=c') && isUrl('http://[2001:db8::1]/x')).toBe(true);
    expect(isUrl('javascript:alert(1)') || isUrl('example.com')).toBe(false);
    expect(['example.com', '台灣.tw', 'mail', 'https://phish.example/login', '198.51.100.0/24'].every(isAsset)).toBe(true);
    expect(['not a host', '-bad.com', 'a..b'].some(isAsset)).toBe(false);
    expect(isEmail('a@b.tw') && !isEmail('a@b') && !isEmail('a b@c.tw')).toBe(true);
    expect(isPort('443') && !isPort('65536') && !isPort('-1')).toBe(true);
    expect(splitList('1.1.1.1, 2.2.2.2;3.3.3.3\n4.4.4.4')).toEqual(['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4']);
  });

  it('needs a category, a description and a way back unless anonymous', () => {
    const errors = validateReport(values({}), 'general', [], null);
    expect(Object.keys(errors).sort()).toEqual(['category', 'description', 'email']);
    expect(errors.email?.[0]?.code).toBe('contactRequired');
    expect(hasErrors(validateReport(values({ category: 'fraud', description: 'x', anonymous: true }), 'general', [], null))).toBe(false);
    expect(hasErrors(validateReport(values({ category: 'fraud', description: 'x', phone: '+886 2 1234-5678' }), 'general', [], null))).toBe(false);
    expect(validateReport(values({ category: 'fraud', description: 'x', phone: 'call me' }), 'general', [], null).phone?.[0]?.code).toBe('invalidPhone');
  });

  it('checks technical fields, impact completeness, dates and files', () => {
    const errors = validateReport(
      values({ category: 'malware', description: 'x', anonymous: true, sourceIps: '1.2.3.4, nope', destinationPorts: '443, 70000', protocol: 'TCP UDP', confidentiality: 'high', occurredAt: '2026-03-02T10:00', discoveredAt: '2026-03-01T10:00' }),
      'advanced',
      [new File(['x'.repeat(20)], 'big.bin')],
      { maxBytes: 10, maxFiles: 5 },
    );
    expect(errors.sourceIps?.map((i) => i.params?.item)).toEqual(['nope']);
    expect(errors.destinationPorts?.map((i) => i.params?.item)).toEqual(['70000']);
    expect(errors.protocol?.[0]?.code).toBe('invalidProtocol');
    expect(errors.integrity?.[0]?.code).toBe('impactIncomplete');
    expect(errors.discoveredAt?.[0]?.code).toBe('beforeOccurred');
    expect(errors.attachments?.[0]?.code).toBe('fileTooLarge');
  });
});

describe('the report body sent to the API', () => {
  it('sends only what was filled in, technical details only from the advanced form', () => {
    const form = values({ category: 'phishing', description: ' 假簡訊 ', assets: 'https://a.example/\n\n b.example ', name: '王', email: 'w@example.com', sourceIps: '1.2.3.4', sourcePorts: '80, 443' });
    expect(toReportBody(form, 'general', 'zh-TW')).toEqual({
      channel: 'web-general',
      anonymous: false,
      reporter: { name: '王', email: 'w@example.com' },
      language: 'zh-TW',
      category: 'phishing',
      description: '假簡訊',
      assets: ['https://a.example/', 'b.example'],
    });
    const advanced = toReportBody({ ...form, anonymous: true, confidentiality: 'low', integrity: 'none', availability: 'high' }, 'advanced', 'en');
    expect(advanced.reporter).toBeUndefined();
    expect(advanced.technical).toEqual({ sourceIps: ['1.2.3.4'], sourcePorts: [80, 443], impact: { confidentiality: 'low', integrity: 'none', availability: 'high' } });
  });
});

describe('statistics CSV', () => {
  it('has one row per figure, UTF-8 with BOM, and defuses spreadsheet formulas', () => {
    const csv = statsToCsv({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-12-31T00:00:00.000Z',
      incidents: 3,
      reports: 5,
      byRsitClass: { fraud: 2, '=cmd': 1 },
      byLevel: { '3': 1 },
      bySector: {},
      byChannel: { 'web-general': 5 },
      byMonth: { '2026-03': 3 },
      medianFirstResponseMinutes: 42,
      deadlines: { total: 4, met: 3, metOnTime: 2, overdueOpen: 1 },
    });
    expect(csv.startsWith('\uFEFFdimension,key,value\r\n')).toBe(true);
    expect(csv).toContain('rsit_class,fraud,2\r\n');
    expect(csv).toContain("rsit_class,'=cmd,1\r\n");
    expect(csv).toContain('response,median_first_response_minutes,42\r\n');
  });
});

describe('mail template rules (mirroring the server)', () => {
  const allowed = ['trackingNumber', 'teamName'];
  it('find unknown variables, stray braces and empty parts as the server would', () => {
    expect(templateProblems('[{{trackingNumber}}] {{ teamName }}', allowed)).toEqual([]);
    expect(templateProblems('{{trackingNumber}} {{reporterName}}', allowed)).toEqual([{ kind: 'unknown-variable', name: 'reporterName' }]);
    expect(templateProblems('{{trackingNumber} }}', allowed)).toEqual([{ kind: 'unbalanced' }]);
    expect(templateProblems('  ', allowed)).toEqual([{ kind: 'required' }]);
  });
  it('read the server’s problem messages back into fields and kinds', () => {
    expect(parseServerProblem('subject: unknown variable {{reporterName}}')).toEqual({ part: 'subject', problem: { kind: 'unknown-variable', name: 'reporterName' } });
    expect(parseServerProblem('text: unbalanced braces')).toEqual({ part: 'text', problem: { kind: 'unbalanced' } });
    expect(parseServerProblem('something else')).toEqual({ part: null, problem: { kind: 'other', message: 'something else' } });
  });
  it('store only the templates that differ from the defaults', () => {
    const view = {
      defaults: { acknowledgement: { 'zh-TW': { subject: 'a', text: 'b' }, en: { subject: 'c', text: 'd' } }, reply: { 'zh-TW': { subject: 'e', text: 'f' }, en: { subject: 'g', text: 'h' } }, notice: { 'zh-TW': { subject: 'i', text: 'j' }, en: { subject: 'k', text: 'l' } } },
      overrides: { reply: { en: { subject: 'G', text: 'h' } } },
      variables: {},
    };
    const drafts = draftsFrom(view);
    expect(drafts.reply.en.subject).toBe('G');
    drafts.acknowledgement['zh-TW'] = { subject: 'A', text: 'b' };
    expect(overridesFrom(drafts, view)).toEqual({ acknowledgement: { 'zh-TW': { subject: 'A', text: 'b' } }, reply: { en: { subject: 'G', text: 'h' } } });
  });
});
