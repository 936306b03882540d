import { useEffect } from 'react';
import type { RefObject } from 'react';

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Keyboard navigation for a dense list: j/k move focus to the next/previous row's link (Enter
 * then opens it, as links do), x toggles the row's checkbox, / jumps to the search box.
 * Rows carry `data-row`, their main link `data-row-link`, their checkbox `data-row-check`.
 */
export function useListKeyboard(container: RefObject<HTMLElement | null>, searchId?: string): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.altKey || event.ctrlKey || event.metaKey || typingInto(event.target)) return;
      const root = container.current;
      if (!root) return;
      if (event.key === '/' && searchId) {
        event.preventDefault();
        document.getElementById(searchId)?.focus();
        return;
      }
      if (!['j', 'k', 'x'].includes(event.key)) return;
      const links = Array.from(root.querySelectorAll<HTMLElement>('[data-row] [data-row-link]'));
      if (links.length === 0) return;
      const current = links.findIndex((link) => link === document.activeElement || link.closest('[data-row]')?.contains(document.activeElement));
      if (event.key === 'x') {
        if (current === -1) return;
        links[current]?.closest('[data-row]')?.querySelector<HTMLInputElement>('[data-row-check]')?.click();
        links[current]?.focus();
        event.preventDefault();
        return;
      }
      const next = event.key === 'j' ? Math.min(current + 1, links.length - 1) : Math.max(current - 1, 0);
      const link = links[current === -1 ? 0 : next];
      link?.focus();
      link?.scrollIntoView({ block: 'nearest' });
      event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [container, searchId]);
}
