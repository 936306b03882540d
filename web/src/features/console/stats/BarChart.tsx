import { Paper, Table, Text, Title } from '@mantine/core';

export interface Bar {
  key: string;
  label: string;
  value: number;
}

/**
 * A horizontal bar chart drawn in SVG (no chart library: tiny, printable, and the numbers are
 * in a real table next to it for screen readers and copy-paste).
 */
export function BarChart({ title, bars, valueLabel }: { title: string; bars: readonly Bar[]; valueLabel: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowHeight = 22;
  const labelWidth = 180;
  const width = 520;
  const height = Math.max(rowHeight, bars.length * rowHeight);
  return (
    <Paper withBorder p="sm" component="figure" m={0}>
      <figcaption>
        <Title order={2} size="h5" mb="xs">
          {title}
        </Title>
      </figcaption>
      {bars.length === 0 ? (
        <Text size="sm">—</Text>
      ) : (
        <>
          <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-hidden="true" style={{ maxWidth: width }}>
            {bars.map((bar, index) => {
              const y = index * rowHeight;
              const w = ((width - labelWidth - 50) * bar.value) / max;
              return (
                <g key={bar.key}>
                  <text x={labelWidth - 6} y={y + 15} textAnchor="end" fontSize="12" fill="#212529">
                    {bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label}
                  </text>
                  <rect x={labelWidth} y={y + 4} width={Math.max(w, 1)} height={rowHeight - 8} fill="#1864ab" />
                  <text x={labelWidth + w + 6} y={y + 15} fontSize="12" fill="#212529">
                    {bar.value}
                  </text>
                </g>
              );
            })}
          </svg>
          <Table fz="xs" verticalSpacing={2} mt="xs" withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{title}</Table.Th>
                <Table.Th ta="right">{valueLabel}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {bars.map((bar) => (
                <Table.Tr key={bar.key}>
                  <Table.Td>{bar.label}</Table.Td>
                  <Table.Td ta="right">{bar.value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Paper>
  );
}
