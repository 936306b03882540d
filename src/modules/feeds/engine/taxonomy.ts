/**
 * RSIT (Reference Security Incident Taxonomy) classes and types, with the type spellings IntelMQ 3 uses
 * (`classification.taxonomy` / `classification.type`). The class is implied by the type, so parsers set the
 * type and the class follows (as IntelMQ's taxonomy expert does).
 */
export const RSIT_TYPES = {
  'abusive-content': ['spam', 'harmful-speech', 'violence'],
  'malicious-code': ['infected-system', 'c2-server', 'malware-distribution', 'malware-configuration'],
  'information-gathering': ['scanner', 'sniffing', 'social-engineering'],
  'intrusion-attempts': ['ids-alert', 'brute-force', 'exploit'],
  intrusions: [
    'privileged-account-compromise',
    'unprivileged-account-compromise',
    'application-compromise',
    'system-compromise',
    'burglary',
  ],
  availability: ['dos', 'ddos', 'misconfiguration', 'sabotage', 'outage'],
  'information-content-security': [
    'unauthorised-information-access',
    'unauthorised-information-modification',
    'data-loss',
    'data-leak',
  ],
  fraud: ['unauthorized-use-of-resources', 'copyright', 'masquerade', 'phishing'],
  vulnerable: [
    'weak-crypto',
    'ddos-amplifier',
    'potentially-unwanted-accessible',
    'information-disclosure',
    'vulnerable-system',
  ],
  // IntelMQ keeps a few non-RSIT types under `other` (blocklists among them).
  other: ['other', 'undetermined', 'blacklist', 'dga-domain', 'proxy', 'tor'],
  test: ['test'],
} as const;

export type RsitTaxonomy = keyof typeof RSIT_TYPES;
export type RsitType = (typeof RSIT_TYPES)[RsitTaxonomy][number];

const TAXONOMY_OF_TYPE = new Map<string, RsitTaxonomy>();
for (const [taxonomy, types] of Object.entries(RSIT_TYPES) as [RsitTaxonomy, readonly string[]][]) {
  for (const type of types) TAXONOMY_OF_TYPE.set(type, taxonomy);
}

/** The RSIT class of a type, or undefined when the type is not in the taxonomy. */
export function taxonomyOfType(type: string): RsitTaxonomy | undefined {
  return TAXONOMY_OF_TYPE.get(type);
}

export function isRsitType(type: string): type is RsitType {
  return TAXONOMY_OF_TYPE.has(type);
}

export function isRsitTaxonomy(name: string): name is RsitTaxonomy {
  return Object.prototype.hasOwnProperty.call(RSIT_TYPES, name);
}
