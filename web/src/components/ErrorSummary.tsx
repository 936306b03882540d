import { forwardRef } from 'react';
import { Alert, Anchor, List, Text } from '@mantine/core';

const FOCUSABLE = 'input, select, textarea, button';

export interface SummaryItem {
  /** DOM id of the input to jump to, or null for problems that belong to no field. */
  targetId: string | null;
  label: string;
  message: string;
}

interface ErrorSummaryProps {
  title: string;
  intro?: string;
  items: readonly SummaryItem[];
}

/**
 * The list of problems at the top of a form after a failed submission. It receives focus so
 * screen readers read it; each entry links to its field.
 */
export const ErrorSummary = forwardRef<HTMLDivElement, ErrorSummaryProps>(function ErrorSummary(
  { title, intro, items },
  ref,
) {
  return (
    <Alert ref={ref} tabIndex={-1} color="red" variant="outline" title={title} role="alert">
      {intro && <Text size="sm" mb="xs">{intro}</Text>}
      {items.length > 0 && (
        <List size="sm" spacing={4}>
          {items.map((item, index) => (
            <List.Item key={`${item.targetId ?? 'form'}-${index}`}>
              {item.targetId ? (
                <Anchor
                  href={`#${item.targetId}`}
                  size="sm"
                  onClick={(event) => {
                    const target = document.getElementById(item.targetId ?? '');
                    if (!target) return;
                    event.preventDefault();
                    // Groups (radio groups) carry the id on a wrapper: focus their first control.
                    const control = target.matches(FOCUSABLE) ? target : target.querySelector<HTMLElement>(FOCUSABLE);
                    (control ?? target).focus();
                    target.scrollIntoView({ block: 'center' });
                  }}
                >
                  {item.label}: {item.message}
                </Anchor>
              ) : (
                <>
                  {item.label ? `${item.label}: ` : ''}
                  {item.message}
                </>
              )}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
});
