import type { FieldProblem } from '../../lib/errors.js';
import { parseCidr, normaliseNetwork } from '../feeds/engine/index.js';
import { checkOwnedDomain } from '../feeds/engine/match/domain-index.js';

/** Canonical forms of a constituent's netblocks, ASNs and domains, with field problems for what is not valid. */
export interface ScopeInput {
  netblocks?: readonly string[] | undefined;
  asns?: readonly (number | string)[] | undefined;
  domains?: readonly string[] | undefined;
}

export interface NormalisedScope {
  netblocks: string[];
  asns: number[];
  domains: string[];
  /** Where each canonical entry was first given in the input ("netblocks:10.0.0.0/8" → its index there), for error fields. */
  origin?: Map<string, number>;
}

export function normaliseScope(input: ScopeInput, problems: FieldProblem[], prefix = ''): NormalisedScope {
  const origin = new Map<string, number>();
  const out: NormalisedScope = { netblocks: [], asns: [], domains: [], origin };
  (input.netblocks ?? []).forEach((raw, i) => {
    const c = parseCidr(raw);
    const field = `${prefix}netblocks[${i}]`;
    if (c === undefined) problems.push({ field, code: 'invalid_cidr', message: raw });
    // 10.0.0.1/8 is most likely a typo: refuse rather than guess which block was meant.
    else if (c.hostBitsSet) problems.push({ field, code: 'cidr_host_bits_set', message: `${raw} → ${normaliseNetwork(raw) ?? ''}` });
    else {
      const n = normaliseNetwork(raw)!;
      if (!out.netblocks.includes(n)) {
        out.netblocks.push(n);
        origin.set(`netblocks:${n}`, i);
      }
    }
  });
  (input.asns ?? []).forEach((raw, i) => {
    const text = String(raw).trim().replace(/^AS/i, '');
    const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 4294967295) problems.push({ field: `${prefix}asns[${i}]`, code: 'invalid_asn', message: String(raw) });
    else if (!out.asns.includes(n)) {
      out.asns.push(n);
      origin.set(`asns:${n}`, i);
    }
  });
  (input.domains ?? []).forEach((raw, i) => {
    const r = checkOwnedDomain(raw);
    if ('problem' in r) problems.push({ field: `${prefix}domains[${i}]`, code: r.problem === 'public-suffix' ? 'domain_public_suffix' : 'invalid_domain', message: raw });
    else if (!out.domains.includes(r.domain)) {
      out.domains.push(r.domain);
      origin.set(`domains:${r.domain}`, i);
    }
  });
  return out;
}
