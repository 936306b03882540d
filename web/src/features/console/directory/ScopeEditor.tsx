import { SimpleGrid, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorLines } from '../../../components/ErrorLines.js';
import { fieldId } from './formModel.js';
import { linesToEntries, SCOPE_KINDS } from './problems.js';
import type { ScopeKind } from './problems.js';

const HELP = { netblocks: 'console.directory.form.netblocksHelp', asns: 'console.directory.form.asnsHelp', domains: 'console.directory.form.domainsHelp' } as const;
const LABEL = { netblocks: 'console.directory.form.netblocks', asns: 'console.directory.form.asns', domains: 'console.directory.form.domains' } as const;

/**
 * Netblocks, ASNs and domains as one entry per line: a national constituent has hundreds, which are
 * pasted from a spreadsheet or a RIR listing and read back more easily than as tags. Problems name
 * the line they are on.
 */
export function ScopeEditor({ value, onChange, errors }: { value: Record<ScopeKind, string>; onChange: (kind: ScopeKind, text: string) => void; errors: Partial<Record<ScopeKind, string[]>> }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }}>
      {SCOPE_KINDS.map((kind) => {
        const count = linesToEntries(value[kind]).values.length;
        const problems = errors[kind];
        return (
          <Textarea
            key={kind}
            id={fieldId(kind)}
            size="xs"
            label={t(LABEL[kind])}
            description={`${t(HELP[kind])} ${t('console.directory.form.entries', { count })}`}
            value={value[kind]}
            onChange={(e) => onChange(kind, e.currentTarget.value)}
            error={problems?.length ? <ErrorLines messages={problems} /> : undefined}
            autosize
            minRows={4}
            maxRows={16}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        );
      })}
    </SimpleGrid>
  );
}
