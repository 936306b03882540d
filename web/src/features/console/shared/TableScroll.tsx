import type { ReactNode } from 'react';

/**
 * Lets a wide table scroll sideways on narrow screens. The region is focusable and named so that
 * keyboard users can scroll it too (axe: scrollable-region-focusable).
 */
export function TableScroll({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
