import { Badge, Group, Paper, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatFingerprint } from '../../../lib/format.js';
import { DetailList } from '../shared/DetailList.js';

/** The OpenPGP status of an e-mailed report (src/lib/pgp/status.ts in the server), read defensively. */
export interface PgpStatus {
  encrypted: boolean;
  decrypted: boolean;
  signed: boolean;
  verified: boolean;
  signerFingerprint: string | null;
  signerKeyIds: string[];
  signedAt: string | null;
  signerMatchesFrom: boolean | null;
  formats: string[];
  failure: { code: string; detail: string } | null;
}

const FAILURES = ['no-key', 'decrypt-failed', 'bad-signature', 'unknown-signer', 'signer-key-expired', 'signer-key-revoked', 'malformed', 'unsupported'] as const;
const FORMATS = ['pgp-mime', 'inline', 'cleartext'] as const;

export function toPgpStatus(raw: Record<string, unknown> | null): PgpStatus | null {
  if (!raw) return null;
  const failure = raw.failure && typeof raw.failure === 'object' ? (raw.failure as Record<string, unknown>) : null;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    encrypted: raw.encrypted === true,
    decrypted: raw.decrypted === true,
    signed: raw.signed === true,
    verified: raw.verified === true,
    signerFingerprint: typeof raw.signerFingerprint === 'string' ? raw.signerFingerprint : null,
    signerKeyIds: strings(raw.signerKeyIds),
    signedAt: typeof raw.signedAt === 'string' ? raw.signedAt : null,
    signerMatchesFrom: typeof raw.signerMatchesFrom === 'boolean' ? raw.signerMatchesFrom : null,
    formats: strings(raw.formats),
    failure: failure && typeof failure.code === 'string' ? { code: failure.code, detail: typeof failure.detail === 'string' ? failure.detail : '' } : null,
  };
}

/** Badges for what OpenPGP processing found: encryption, signature, and the first problem. */
export function PgpBadges({ status, testId = 'pgp-status' }: { status: PgpStatus; testId?: string }) {
  const { t } = useTranslation();
  const badges: { key: string; color: string; label: string }[] = [];
  if (!status.encrypted && !status.signed) badges.push({ key: 'none', color: 'gray', label: t('console.pgp.none') });
  if (status.encrypted) badges.push(status.decrypted ? { key: 'enc', color: 'blue', label: t('console.pgp.encrypted') } : { key: 'enc', color: 'red', label: t('console.pgp.notDecrypted') });
  if (status.signed) badges.push(status.verified ? { key: 'sig', color: 'green', label: t('console.pgp.verified') } : { key: 'sig', color: 'orange', label: t('console.pgp.signedUnverified') });
  else if (status.encrypted) badges.push({ key: 'sig', color: 'gray', label: t('console.pgp.unsigned') });
  return (
    <Group gap="xs" data-testid={testId}>
      {badges.map((b) => (
        <Badge key={b.key} variant="light" color={b.color}>
          {b.label}
        </Badge>
      ))}
    </Group>
  );
}

/** The details behind the badges; nothing when there are none (a plain, unsigned e-mail). */
export function PgpStatusPanel({ status }: { status: PgpStatus }) {
  const { t, i18n } = useTranslation();
  const failure = status.failure;
  if (!status.signerFingerprint && !status.failure && status.formats.length === 0 && status.signerKeyIds.length === 0) return null;
  const failureText = failure ? ((FAILURES as readonly string[]).includes(failure.code) ? t(`console.pgp.failures.${failure.code as (typeof FAILURES)[number]}`) : failure.code) : '';
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="pgp-title">
      <Title order={2} size="h5" mb="xs" id="pgp-title">
        {t('console.pgp.title')}
      </Title>
      <DetailList
        items={[
          { label: t('console.pgp.signer'), value: <span className="mono">{formatFingerprint(status.signerFingerprint ?? '')}</span>, hidden: !status.signerFingerprint },
          { label: t('console.pgp.signedAt'), value: formatDateTime(status.signedAt, i18n.language), hidden: !status.signedAt },
          {
            label: t('console.pgp.fromMatch'),
            value: status.signerMatchesFrom ? t('console.pgp.fromMatches') : t('console.pgp.fromDiffers'),
            hidden: status.signerMatchesFrom === null,
          },
          { label: t('console.pgp.keyIds'), value: <span className="mono">{status.signerKeyIds.join(', ')}</span>, hidden: status.verified || status.signerKeyIds.length === 0 },
          {
            label: t('console.pgp.formats'),
            value: status.formats.map((f) => ((FORMATS as readonly string[]).includes(f) ? t(`console.pgp.formatNames.${f as (typeof FORMATS)[number]}`) : f)).join(', '),
            hidden: status.formats.length === 0,
          },
          {
            label: t('console.pgp.problem'),
            value: (
              <>
                {failureText}
                {failure?.detail && (
                  <>
                    <br />
                    <span className="mono">{failure.detail}</span>
                  </>
                )}
              </>
            ),
            hidden: !failure,
          },
        ]}
      />
    </Paper>
  );
}
