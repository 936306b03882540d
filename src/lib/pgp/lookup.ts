import type { PublicKey } from 'openpgp';

/**
 * Finds the known public keys (contacts, partners, constituents) that hold any of the given key
 * IDs (16 lower-case hex; a signature names the primary key or the subkey that made it). The
 * database-backed keyring implements this later; `keyLookupFromList` serves tests and small setups.
 */
export type KeyLookup = (keyIds: string[]) => Promise<PublicKey[]>;

export function keyLookupFromList(keys: readonly PublicKey[]): KeyLookup {
  const byKeyId = new Map<string, PublicKey[]>();
  for (const key of keys) {
    for (const k of key.getKeys()) {
      const id = k.getKeyID().toHex();
      const list = byKeyId.get(id) ?? [];
      list.push(key);
      byKeyId.set(id, list);
    }
  }
  return async (keyIds) => {
    const found = new Set<PublicKey>();
    for (const id of keyIds) for (const key of byKeyId.get(id.toLowerCase()) ?? []) found.add(key);
    return [...found];
  };
}

export const noKnownKeys: KeyLookup = async () => [];
