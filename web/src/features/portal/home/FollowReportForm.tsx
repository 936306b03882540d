import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Group, Stack, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** Accepts the whole tracking link or just its token. */
export function tokenFromInput(input: string): string | null {
  const value = input.trim();
  if (value === '') return null;
  const match = /\/track\/([^/?#\s]+)/.exec(value);
  const token = match ? match[1] : value;
  return token && /^[^\s/?#]{8,}$/.test(token) ? token : null;
}

export function FollowReportForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const token = tokenFromInput(value);
    if (!token) {
      setError(t('home.follow.invalid'));
      return;
    }
    void navigate(`/track/${token}`);
  }

  return (
    <Stack gap="sm" component="section" aria-labelledby="home-follow">
      <Title order={2} id="home-follow">
        {t('home.follow.title')}
      </Title>
      <form onSubmit={onSubmit} noValidate>
        <Group align="flex-end">
          <TextInput
            label={t('home.follow.label')}
            description={t('home.follow.description')}
            value={value}
            onChange={(event) => {
              setValue(event.currentTarget.value);
              setError(null);
            }}
            error={error}
            style={{ flex: 1, minWidth: 240 }}
            autoComplete="off"
          />
          <Button type="submit" variant="outline">
            {t('home.follow.submit')}
          </Button>
        </Group>
      </form>
    </Stack>
  );
}
