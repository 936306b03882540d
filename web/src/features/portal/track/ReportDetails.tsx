import { List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TrackedReport } from '../../../lib/publicTypes.js';
import { formatBytes, formatDateTime } from '../../../lib/format.js';

/** What the reporter sent, as a description list. */
export function ReportDetails({ report }: { report: TrackedReport }) {
  const { t, i18n } = useTranslation();
  return (
    <dl className="details-list">
      <dt>{t('track.submitted')}</dt>
      <dd>
        <time dateTime={report.createdAt}>{formatDateTime(report.createdAt, i18n.language)}</time>
      </dd>
      <dt>{t('report.fields.category.label')}</dt>
      <dd>{t(`categories.${report.category}`, { defaultValue: report.category })}</dd>
      {report.title && (
        <>
          <dt>{t('report.fields.title.label')}</dt>
          <dd>{report.title}</dd>
        </>
      )}
      <dt>{t('report.fields.description.label')}</dt>
      <dd className="pre-wrap">{report.description}</dd>
      {report.assets.length > 0 && (
        <>
          <dt>{t('report.fields.assets.label')}</dt>
          <dd>
            <List size="sm" className="mono">
              {report.assets.map((asset) => (
                <List.Item key={asset}>{asset}</List.Item>
              ))}
            </List>
          </dd>
        </>
      )}
      <dt>{t('track.attachments')}</dt>
      <dd>
        {report.attachments.length === 0 ? (
          <Text size="sm">{t('track.noAttachments')}</Text>
        ) : (
          <Stack gap={2}>
            {report.attachments.map((file) => (
              <Text size="sm" key={file.id}>
                {file.filename} ({formatBytes(file.size, i18n.language)})
              </Text>
            ))}
          </Stack>
        )}
      </dd>
    </dl>
  );
}
