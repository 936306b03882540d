import { useEffect } from 'react';

/** Sets the browser tab title; screen readers announce it on navigation. */
export function useDocumentTitle(title: string, suffix?: string): void {
  useEffect(() => {
    document.title = suffix ? `${title} · ${suffix}` : title;
  }, [title, suffix]);
}
