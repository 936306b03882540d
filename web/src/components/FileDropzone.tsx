import { useId, useState } from 'react';
import type { DragEvent, ReactNode } from 'react';
import { CloseButton, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../lib/format.js';
import classes from './FileDropzone.module.css';

export interface FileDropzoneProps {
  id: string;
  label: string;
  files: readonly File[];
  onChange: (files: File[]) => void;
  maxBytes: number | null;
  maxFiles: number | null;
  error?: ReactNode;
  disabled?: boolean;
}

function sameFile(a: File, b: File): boolean {
  return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
}

/**
 * Drag-and-drop area around a real file input: keyboard and screen-reader users get the native
 * control (visually hidden, its label styled as a button); chosen files add up rather than replace.
 */
export function FileDropzone({ id, label, files, onChange, maxBytes, maxFiles, error, disabled }: FileDropzoneProps) {
  const { t, i18n } = useTranslation();
  const [active, setActive] = useState(false);
  const hintId = useId();
  const errorId = useId();
  const listId = useId();

  function add(list: FileList | null) {
    if (!list || list.length === 0) return;
    const incoming = Array.from(list).filter((file) => !files.some((existing) => sameFile(existing, file)));
    onChange([...files, ...incoming]);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setActive(false);
    if (!disabled) add(event.dataTransfer.files);
  }

  const limits =
    maxBytes !== null && maxFiles !== null
      ? t('files.limits', { size: formatBytes(maxBytes, i18n.language), count: maxFiles })
      : '';

  return (
    <div
      className="dropzone"
      data-active={active}
      data-invalid={Boolean(error)}
      onDragOver={(event) => {
        event.preventDefault();
        setActive(true);
      }}
      onDragLeave={() => setActive(false)}
      onDrop={onDrop}
    >
      <Stack gap="xs">
        <Text fw={500} size="sm">
          {label}
        </Text>
        <Text size="sm" id={hintId}>
          {t('files.dropHint')} {limits}
        </Text>
        <div>
          <input
            id={id}
            type="file"
            multiple
            className={`visually-hidden ${classes.input}`}
            disabled={disabled}
            aria-describedby={`${hintId}${error ? ` ${errorId}` : ''}${files.length ? ` ${listId}` : ''}`}
            aria-invalid={error ? true : undefined}
            onChange={(event) => {
              add(event.currentTarget.files);
              event.currentTarget.value = ''; // so the same file can be chosen again after removal
            }}
          />
          <label htmlFor={id} className={classes.button}>
            {t('files.choose')}
          </label>
        </div>
        {files.length > 0 && (
          <ul className={classes.list} id={listId} aria-label={t('files.chosen')}>
            {files.map((file, index) => (
              <li key={`${file.name}-${file.size}-${file.lastModified}`}>
                <Group gap="xs" wrap="nowrap" justify="space-between">
                  <Text size="sm" className={classes.name}>
                    {file.name} ({formatBytes(file.size, i18n.language)})
                  </Text>
                  <CloseButton
                    size="sm"
                    aria-label={t('files.remove', { name: file.name })}
                    onClick={() => onChange(files.filter((_, i) => i !== index))}
                    disabled={disabled}
                  />
                </Group>
              </li>
            ))}
          </ul>
        )}
        {error && (
          <Text size="sm" c="var(--mantine-color-error)" id={errorId}>
            {error}
          </Text>
        )}
      </Stack>
    </div>
  );
}
