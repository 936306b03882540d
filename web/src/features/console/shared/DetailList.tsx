import type { ReactNode } from 'react';

export interface DetailItem {
  label: string;
  value: ReactNode;
  hidden?: boolean;
}

/** Label/value pairs as a description list (styled by .details-list). */
export function DetailList({ items }: { items: readonly DetailItem[] }) {
  return (
    <dl className="details-list">
      {items
        .filter((item) => !item.hidden)
        .map((item) => (
          <div key={item.label} style={{ display: 'contents' }}>
            <dt>{item.label}</dt>
            <dd>{item.value}</dd>
          </div>
        ))}
    </dl>
  );
}
