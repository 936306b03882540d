import type { Kysely } from 'kysely';
import { uuidv7 } from '../../lib/ids.js';

/** Frozen: Taiwan's sector CERTs, the default hand-off partners. More are added in the console. */
const PARTNERS = [
  { short_name: 'TWNCERT', name_zh: '國家資通安全研究院 政府資安事件應變中心', name_en: 'Taiwan National CERT (government)', kind: 'sector-cert', sector: 'government' },
  { short_name: 'TACERT', name_zh: '台灣學術網路危機處理中心', name_en: 'Taiwan Academic Network CERT (education)', kind: 'sector-cert', sector: 'education' },
  { short_name: 'EC-CERT', name_zh: '電子商務資安事件應變中心', name_en: 'E-Commerce CERT', kind: 'sector-cert', sector: 'e-commerce' },
  { short_name: 'NCC-CERT', name_zh: '通訊傳播事業資安事件應變中心', name_en: 'NCC CERT (ISPs and telecoms)', kind: 'sector-cert', sector: 'isp' },
];

// Migrations take Kysely<unknown>: they must not depend on the current table types.
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = new Date().toISOString();
  const typed = db as Kysely<{ partners: Record<string, string | null> }>;
  await typed
    .insertInto('partners')
    .values(PARTNERS.map((p) => ({ id: uuidv7(), ...p, country: 'TW', email: null, created_at: now, updated_at: now })))
    .execute();
}

export async function down(): Promise<void> {}
