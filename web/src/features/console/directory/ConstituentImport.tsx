import { useRef, useState } from 'react';
import { Alert, Button, FileButton, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api.js';
import { formatBytes } from '../../../lib/format.js';
import { useSession } from '../auth/session.js';
import { TableScroll } from '../shared/TableScroll.js';
import { importConstituentsCsv } from './constituentApi.js';
import { describeImportProblem } from './problems.js';

/**
 * CSV import: choose a file, then import. The server takes all rows or none; when it refuses, every
 * problem is listed with its line number so the file can be fixed in one go.
 */
export function ConstituentImport() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const { data: session } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const resetRef = useRef<() => void>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const run = useMutation({
    mutationFn: async (f: File) => importConstituentsCsv(await f.text(), session?.csrfToken ?? ''),
    onSuccess: async () => {
      setFile(null);
      resetRef.current?.();
      await client.invalidateQueries({ queryKey: ['constituents'] });
    },
    onSettled: () => requestAnimationFrame(() => resultRef.current?.focus()),
  });
  const problems = run.isError && isApiError(run.error) ? run.error.details.map((d) => describeImportProblem(t, d)) : [];
  return (
    <Paper withBorder p="sm" component="section" id="constituent-import" aria-labelledby="constituent-import-title">
      <Stack gap="xs">
        <Title order={2} size="h5" id="constituent-import-title">
          {t('console.directory.import.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('console.directory.import.help')}
        </Text>
        <Group gap="xs">
          <FileButton
            resetRef={resetRef}
            accept=".csv,text/csv"
            onChange={(f) => {
              setFile(f);
              run.reset();
            }}
            inputProps={{ 'aria-label': t('console.directory.import.choose'), id: 'constituent-import-file' } as Record<string, string>}
          >
            {(props) => (
              <Button size="xs" variant="default" {...props}>
                {t('console.directory.import.choose')}
              </Button>
            )}
          </FileButton>
          {file && (
            <>
              <Text size="sm" data-testid="import-file">
                {t('console.directory.import.chosen', { name: file.name, size: formatBytes(file.size, i18n.language) })}
              </Text>
              <Button size="xs" loading={run.isPending} onClick={() => run.mutate(file)}>
                {t('console.directory.import.submit')}
              </Button>
            </>
          )}
        </Group>
        <div ref={resultRef} tabIndex={-1}>
          {run.isSuccess && (
            <Alert color="green" role="status" data-testid="import-done">
              {t('console.directory.import.done', { rows: run.data.rows, created: run.data.created, updated: run.data.updated })}
            </Alert>
          )}
          {run.isError && (
            <Alert color="red" variant="outline" title={t('console.directory.import.refused')} role="alert" data-testid="import-refused">
              {problems.length === 0 ? (
                <Text size="sm">{run.error.message}</Text>
              ) : (
                <Stack gap="xs">
                  <Text size="sm">{t('console.directory.import.refusedIntro', { count: problems.length })}</Text>
                  <TableScroll label={t('console.directory.import.refused')} minWidth={420}>
                    <Table verticalSpacing={2} fz="sm" className="dense-table" data-testid="import-problems">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('console.directory.import.line')}</Table.Th>
                          <Table.Th>{t('console.directory.import.problem')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {problems.map((p, i) => (
                          <Table.Tr key={i}>
                            <Table.Td>{p.line === null ? '—' : t('console.directory.import.lineN', { line: p.line })}</Table.Td>
                            <Table.Td className="wrap">{p.text}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </TableScroll>
                </Stack>
              )}
            </Alert>
          )}
        </div>
      </Stack>
    </Paper>
  );
}
