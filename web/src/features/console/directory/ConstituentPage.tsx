import { useState } from 'react';
import { Alert, Anchor, Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import '../../../i18n/directory.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { api } from '../../../lib/api.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { useSession } from '../auth/session.js';
import type { Constituent } from '../types.js';
import { ConstituentEvents, ConstituentNotices } from './ConstituentActivity.js';
import { constituentKey, useConstituent } from './constituentApi.js';
import { ConstituentForm } from './ConstituentForm.js';
import { ConstituentView } from './ConstituentView.js';
import { canManageConstituents } from './roles.js';

type Tab = 'overview' | 'events' | 'notices';
const TABS: readonly Tab[] = ['overview', 'events', 'notices'];

function BackLink() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/console/constituents" size="sm">
      ← {t('console.nav.constituents')}
    </Anchor>
  );
}

/** /console/constituents/new: the form for a new constituent (administrators and coordinators). */
function NewConstituent() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  useDocumentTitle(t('console.directory.form.createTitle'));
  return (
    <Stack gap="sm" maw={1100}>
      <BackLink />
      <Title order={1} size="h3">
        {t('console.directory.form.createTitle')}
      </Title>
      <ConstituentForm initial={null} onSaved={(c) => navigate(`/console/constituents/${c.id}`, { replace: true })} onCancel={() => navigate('/console/constituents')} />
    </Stack>
  );
}

function DeleteButton({ constituent }: { constituent: Constituent }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => api.del<void>(`/constituents/${constituent.id}`),
    onSuccess: async () => {
      client.removeQueries({ queryKey: constituentKey(constituent.id) });
      // Cached lists (not refetched while no page shows them) drop it at once, so the list never flashes it.
      client.setQueriesData<Constituent[]>({ queryKey: ['constituents'] }, (old) => old?.filter((c) => c.id !== constituent.id));
      await client.invalidateQueries({ queryKey: ['constituents'] });
      navigate('/console/constituents');
    },
  });
  if (!asking)
    return (
      <Button size="xs" variant="subtle" color="red" onClick={() => setAsking(true)}>
        {t('console.directory.detail.delete')}
      </Button>
    );
  return (
    <Group gap="xs" role="group" aria-label={t('console.directory.detail.delete')}>
      <Text size="sm">{t('console.directory.detail.confirmDelete', { name: constituent.name })}</Text>
      <Button size="xs" color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
        {t('console.directory.detail.confirm')}
      </Button>
      <Button size="xs" variant="default" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </Button>
      {remove.isError && <Alert color="red">{remove.error.message}</Alert>}
    </Group>
  );
}

function ExistingConstituent({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const canManage = canManageConstituents(session?.user.role);
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: Tab = TABS.find((x) => x === tabParam) ?? 'overview';
  const editing = canManage && params.get('edit') === '1';
  const constituent = useConstituent(id);
  const [saved, setSaved] = useState(false);
  useDocumentTitle(constituent.data?.name ?? t('console.nav.constituents'));
  const setEditing = (on: boolean) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (on) {
        next.set('edit', '1');
        next.delete('tab');
      } else next.delete('edit');
      return next;
    });
  if (constituent.isPending) return <PageLoader />;
  if (constituent.isError) return <Alert color="red">{constituent.error.message}</Alert>;
  const c = constituent.data;
  return (
    <Stack gap="sm" maw={1100}>
      <BackLink />
      <Group justify="space-between" align="flex-start">
        <Title order={1} size="h3">
          {c.name}
        </Title>
        {canManage && !editing && (
          <Group gap="xs">
            <Button
              size="xs"
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              {t('console.directory.detail.edit')}
            </Button>
            <DeleteButton constituent={c} />
          </Group>
        )}
      </Group>
      {saved && !editing && (
        <Text size="sm" role="status" data-testid="constituent-saved">
          {t('console.directory.form.saved')}
        </Text>
      )}
      {editing ? (
        <ConstituentForm
          key={c.updatedAt}
          initial={c}
          onSaved={() => {
            setSaved(true);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <Tabs
          value={tab}
          onChange={(v) =>
            setParams((p) => {
              const next = new URLSearchParams(p);
              if (v && v !== 'overview') next.set('tab', v);
              else next.delete('tab');
              return next;
            })
          }
          keepMounted={false}
        >
          <Tabs.List mb="sm">
            <Tabs.Tab value="overview">{t('console.directory.detail.overview')}</Tabs.Tab>
            <Tabs.Tab value="events">{t('console.directory.detail.events')}</Tabs.Tab>
            <Tabs.Tab value="notices">{t('console.directory.detail.notices')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="overview">
            <Stack gap="sm">
              <ConstituentView constituent={c} />
              <Anchor component={Link} to={`/console?constituentId=${c.id}&state=all`} size="sm">
                {t('console.constituents.incidents')}
              </Anchor>
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="events">
            <ConstituentEvents constituentId={c.id} />
          </Tabs.Panel>
          <Tabs.Panel value="notices">
            <ConstituentNotices constituentId={c.id} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

export default function ConstituentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data: session } = useSession();
  if (id === 'new') {
    if (!canManageConstituents(session?.user.role)) return <Alert color="gray">{t('console.directory.detail.readOnly')}</Alert>;
    return <NewConstituent />;
  }
  return <ExistingConstituent id={id} />;
}
