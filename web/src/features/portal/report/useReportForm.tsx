import { useCallback, useMemo, useState } from 'react';
import type { ChangeEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EMPTY_VALUES, fieldId } from './formValues.js';
import type { FieldName, FormVariant, ReportFormValues, ValueField } from './formValues.js';
import { validateReport } from './validateReport.js';
import type { ClientErrors, ClientIssue, FileRules } from './validateReport.js';
import type { ServerErrors } from './serverErrors.js';
import { ErrorLines } from '../../../components/ErrorLines.js';

type TextField = {
  [K in ValueField]: ReportFormValues[K] extends string ? K : never;
}[ValueField];

/**
 * All state of a report form. Nothing here is ever reset by a failed submission: the values,
 * the chosen files and the errors live until the reporter changes them.
 */
export function useReportForm(variant: FormVariant, rules: FileRules | null) {
  const { t } = useTranslation();
  const [values, setValues] = useState<ReportFormValues>(EMPTY_VALUES);
  const [files, setFilesState] = useState<File[]>([]);
  const [touched, setTouched] = useState<ReadonlySet<FieldName>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [serverErrors, setServerErrors] = useState<ServerErrors>({});

  const clientErrors: ClientErrors = useMemo(
    () => validateReport(values, variant, files, rules),
    [values, variant, files, rules],
  );

  const touch = useCallback((field: FieldName) => {
    setTouched((previous) => (previous.has(field) ? previous : new Set(previous).add(field)));
  }, []);

  const clearServerError = useCallback((field: FieldName) => {
    setServerErrors((previous) => {
      if (!previous[field]) return previous;
      const next = { ...previous };
      delete next[field];
      return next;
    });
  }, []);

  const set = useCallback(
    <K extends ValueField>(field: K, value: ReportFormValues[K]) => {
      setValues((previous) => ({ ...previous, [field]: value }));
      clearServerError(field);
    },
    [clearServerError],
  );

  const setFiles = useCallback(
    (next: File[]) => {
      setFilesState(next);
      touch('attachments');
      clearServerError('attachments');
    },
    [touch, clearServerError],
  );

  const issueText = useCallback(
    (issue: ClientIssue): string => t(`validation.${issue.code}`, { ...issue.params }),
    [t],
  );

  /** Messages to show next to a field: client rules once touched (or after submit), then the server's. */
  const messagesFor = useCallback(
    (field: FieldName): string[] => {
      const client = showAll || touched.has(field) ? (clientErrors[field] ?? []).map(issueText) : [];
      return [...client, ...(serverErrors[field] ?? [])];
    },
    [showAll, touched, clientErrors, serverErrors, issueText],
  );

  const errorFor = useCallback((field: FieldName): ReactNode => {
    const messages = messagesFor(field);
    return messages.length > 0 ? <ErrorLines messages={messages} /> : undefined;
  }, [messagesFor]);

  /** Props for a Mantine text input / textarea bound to a string field. */
  const textProps = useCallback(
    (field: TextField) => ({
      id: fieldId(field),
      name: field,
      value: values[field],
      onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(field, event.currentTarget.value),
      onBlur: () => touch(field),
      error: errorFor(field),
    }),
    [values, set, touch, errorFor],
  );

  return {
    variant,
    values,
    files,
    set,
    setFiles,
    touch,
    textProps,
    errorFor,
    messagesFor,
    clientErrors,
    serverErrors,
    setServerErrors,
    showAllErrors: () => setShowAll(true),
  };
}

export type ReportForm = ReturnType<typeof useReportForm>;
