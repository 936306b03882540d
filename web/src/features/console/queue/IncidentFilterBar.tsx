import { useState } from 'react';
import { Button, Checkbox, Group, NativeSelect, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useTaxonomy, useRsitLabels } from '../shared/useTaxonomy.js';
import { useConstituents, useUsers } from '../shared/useDirectory.js';
import { useSession } from '../auth/session.js';
import { INCIDENT_STATES, TLP_VALUES } from '../types.js';
import { CHANNELS } from '../shared/channels.js';
import type { IncidentFilters } from './incidentFilters.js';
import { useSavedFilters } from './savedFilters.js';

interface Props {
  filters: IncidentFilters;
  onChange: (next: IncidentFilters) => void;
  currentQuery: string;
  onApplySaved: (query: string) => void;
}

export function IncidentFilterBar({ filters, onChange, currentQuery, onApplySaved }: Props) {
  const { t } = useTranslation();
  const { data: taxonomy } = useTaxonomy();
  const { classLabel } = useRsitLabels();
  const { data: constituents } = useConstituents();
  const { data: session } = useSession();
  const { data: users } = useUsers(session?.user.role === 'admin'); // only administrators may list users
  const { saved, save, remove } = useSavedFilters();
  const [search, setSearch] = useState(filters.q);
  const [saveName, setSaveName] = useState('');
  const [chosen, setChosen] = useState('');
  const set = <K extends keyof IncidentFilters>(key: K, value: IncidentFilters[K]) => onChange({ ...filters, [key]: value });
  const any = { value: '', label: t('console.filters.any') };

  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          set('q', search);
        }}
      >
        <TextInput
          id="queue-search"
          size="xs"
          label={t('console.filters.search')}
          placeholder={t('console.filters.searchHint')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          onBlur={() => search !== filters.q && set('q', search)}
          w={200}
        />
      </form>
      <NativeSelect
        size="xs"
        label={t('console.filters.state')}
        value={filters.state}
        onChange={(e) => set('state', e.currentTarget.value)}
        data={[
          { value: 'open', label: t('console.filters.open') },
          { value: 'all', label: t('console.filters.all') },
          ...INCIDENT_STATES.map((s) => ({ value: s, label: t(`console.states.${s}`) })),
        ]}
      />
      <NativeSelect
        size="xs"
        label={t('console.filters.level')}
        value={filters.level}
        onChange={(e) => set('level', e.currentTarget.value)}
        data={[any, ...['1', '2', '3', '4'].map((l) => ({ value: l, label: t('console.incident.levelN', { level: l }) }))]}
      />
      <NativeSelect
        size="xs"
        label={t('console.filters.rsitClass')}
        value={filters.rsitClass}
        onChange={(e) => set('rsitClass', e.currentTarget.value)}
        data={[any, ...(taxonomy?.rsit ?? []).map((c) => ({ value: c.id, label: classLabel(c.id) }))]}
      />
      <NativeSelect
        size="xs"
        label="TLP"
        value={filters.tlp}
        onChange={(e) => set('tlp', e.currentTarget.value)}
        data={[any, ...TLP_VALUES.map((v) => ({ value: v, label: v }))]}
      />
      <NativeSelect
        size="xs"
        label={t('console.filters.sector')}
        value={filters.sector}
        onChange={(e) => set('sector', e.currentTarget.value)}
        data={[any, ...(taxonomy?.sectors ?? []).map((s) => ({ value: s, label: t(`console.sectors.${s}`, { defaultValue: s }) }))]}
      />
      <NativeSelect
        size="xs"
        label={t('console.filters.channel')}
        value={filters.channel}
        onChange={(e) => set('channel', e.currentTarget.value)}
        data={[any, ...CHANNELS.map((c) => ({ value: c, label: t(`console.channels.${c}`) }))]}
      />
      <NativeSelect
        size="xs"
        label={t('console.filters.constituent')}
        value={filters.constituentId}
        onChange={(e) => set('constituentId', e.currentTarget.value)}
        data={[any, ...(constituents ?? []).map((c) => ({ value: c.id, label: c.name }))]}
        maw={180}
      />
      <NativeSelect
        size="xs"
        label={t('console.filters.owner')}
        value={filters.owner}
        onChange={(e) => set('owner', e.currentTarget.value)}
        data={[
          any,
          { value: 'me', label: t('console.filters.mine') },
          ...(users ?? []).filter((u) => u.id !== session?.user.id).map((u) => ({ value: u.id, label: u.displayName })),
        ]}
      />
      <NativeSelect
        size="xs"
        label={t('console.filters.sort')}
        value={filters.sort}
        onChange={(e) => set('sort', e.currentTarget.value === 'created' ? 'created' : e.currentTarget.value === 'updated' ? 'updated' : 'deadline')}
        data={[
          { value: 'deadline', label: t('console.filters.sortDeadline') },
          { value: 'created', label: t('console.filters.sortCreated') },
          { value: 'updated', label: t('console.filters.sortUpdated') },
        ]}
      />
      <Checkbox size="xs" label={t('console.filters.overdue')} checked={filters.overdue} onChange={(e) => set('overdue', e.currentTarget.checked)} mb={6} />
      <NativeSelect
        size="xs"
        label={t('console.filters.saved')}
        value={chosen}
        onChange={(e) => {
          const name = e.currentTarget.value;
          setChosen(name);
          const found = saved.find((s) => s.name === name);
          if (found) onApplySaved(found.query);
        }}
        data={[{ value: '', label: t('console.filters.choose') }, ...saved.map((s) => ({ value: s.name, label: s.name }))]}
      />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (saveName.trim()) save(saveName.trim(), currentQuery);
          setSaveName('');
        }}
      >
        <Group gap={4} align="flex-end">
          <TextInput size="xs" label={t('console.filters.saveAs')} value={saveName} onChange={(e) => setSaveName(e.currentTarget.value)} w={130} />
          <Button size="xs" type="submit" variant="outline" disabled={!saveName.trim()}>
            {t('common.save')}
          </Button>
          {chosen && (
            <Button
              size="xs"
              variant="subtle"
              color="red"
              onClick={() => {
                remove(chosen);
                setChosen('');
              }}
            >
              {t('console.filters.deleteSaved', { name: chosen })}
            </Button>
          )}
        </Group>
      </form>
    </Group>
  );
}
