import { useCallback, useState } from 'react';

export interface SavedFilter {
  name: string;
  query: string; // URLSearchParams string
}

const KEY = 'tocsin.savedFilters';

function read(): SavedFilter[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (item): item is SavedFilter => typeof item === 'object' && item !== null && typeof item.name === 'string' && typeof item.query === 'string',
    );
  } catch {
    return [];
  }
}

/** Named queue filters, kept in this browser. */
export function useSavedFilters() {
  const [saved, setSaved] = useState<SavedFilter[]>(read);
  const write = useCallback((next: SavedFilter[]) => {
    setSaved(next);
    try {
      window.localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // storage unavailable: the list lives for this visit only
    }
  }, []);
  return {
    saved,
    save: (name: string, query: string) => write([...saved.filter((s) => s.name !== name), { name, query }]),
    remove: (name: string) => write(saved.filter((s) => s.name !== name)),
  };
}
