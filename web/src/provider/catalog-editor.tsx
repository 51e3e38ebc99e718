import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ActionButton } from '../ui/buttons';
import { notify } from '../ui/Notifications';
import { ProblemMessage } from '../ui/ProblemMessage';
import {
  emptyService,
  serviceDraft,
  serviceFieldNames,
  serviceInput,
  type ServiceDraft,
  type StandardDraft,
} from './catalog-draft';
import { addStandardId, RowProblems, SCOPE_LIST_ID, ServiceRow } from './catalog-row';
import { placeIssues } from './field-issues';

type Provider = components['schemas']['Provider'];

/** Standards the provider's accreditations cover, verified or waiting: what a service may claim. */
function accreditedScope(provider: Provider): string[] {
  const all = [...provider.accreditations, ...(provider.pendingVerification?.accreditations ?? [])];
  return [...new Set(all.flatMap((a) => a.scope))].sort();
}

/**
 * The whole catalog as an editable table, saved in one go. The service judges it and names each
 * failing field (`services.2.standards.0`); the page shows each reason at that row and field.
 */
export function CatalogEditor({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const addService = useRef<HTMLButtonElement>(null);
  const [rows, setRows] = useState(() => provider.services.map(serviceDraft));
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [tries, setTries] = useState(0);
  const scope = accreditedScope(provider);

  const save = useMutation({
    mutationFn: (services: NonNullable<ReturnType<typeof serviceInput>>[]) =>
      unwrap(
        api.PUT('/api/v1/providers/{id}/services', {
          params: { path: { id: provider.id } },
          body: { services },
        }),
      ),
    onSuccess: async (catalog) => {
      setRows(catalog.services.map(serviceDraft));
      setAttempted(false);
      notify(t('provider.catalog.saved'));
      await queryClient.invalidateQueries({ queryKey: ['provider', provider.id] });
    },
  });
  const issues = placeIssues(
    save.error,
    rows.flatMap((row, i) => serviceFieldNames(row, i)),
  );

  // after a refusal, the keyboard starts at the first field it concerns
  useEffect(() => {
    if (tries === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [save.error, tries]);

  // rows and standards moving makes the service's field paths point elsewhere: its answer is cleared
  const restructure = (next: ServiceDraft[], focus: string | null = null) => {
    save.reset();
    setRows(next);
    setFocusKey(focus);
  };
  const update = (index: number) => (row: ServiceDraft) =>
    setRows((all) => all.map((r, i) => (i === index ? row : r)));
  const addStandardTo = (index: number) => (row: ServiceDraft) =>
    restructure(
      rows.map((r, i) => (i === index ? row : r)),
      row.standards.at(-1)?.key ?? null,
    );
  const removeStandard = (index: number) => (row: ServiceDraft, standard: StandardDraft) => {
    restructure(
      rows.map((r, i) =>
        i === index ? { ...row, standards: row.standards.filter((s) => s.key !== standard.key) } : r,
      ),
    );
    requestAnimationFrame(() => document.getElementById(addStandardId(row))?.focus());
  };
  const removeRow = (index: number) => () => {
    restructure(rows.filter((_, i) => i !== index));
    requestAnimationFrame(() => addService.current?.focus());
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    setTries((n) => n + 1);
    const services = rows.map(serviceInput);
    // what the page already shows as wrong is not sent; the service checks everything else
    if (services.some((s) => s === null)) return;
    save.mutate(services as NonNullable<(typeof services)[number]>[]);
  };

  return (
    <Form ref={form} validationBehavior="aria" onSubmit={submit} validationErrors={issues.at}>
      <p className="muted">
        {scope.length
          ? t('provider.catalog.scope', { standards: scope.join(', ') })
          : t('provider.catalog.noScope')}
      </p>
      <datalist id={SCOPE_LIST_ID}>
        {scope.map((standard) => (
          <option key={standard} value={standard} />
        ))}
      </datalist>
      <div className="table-scroll">
        <table className="table editable">
          <caption>{t('provider.catalog.caption')}</caption>
          <thead>
            <tr>
              {(
                [
                  'service',
                  'name',
                  'category',
                  'standards',
                  'unitPrice',
                  'turnaround',
                  'capacity',
                  'inScope',
                  'remove',
                ] as const
              ).map((column) => (
                <th key={column} scope="col">
                  {t(`provider.catalog.column.${column}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <RowWithProblems
                key={row.key}
                row={row}
                index={index}
                issues={issues.elsewhere.filter(
                  (issue) =>
                    issue.field === `services.${index}` || issue.field.startsWith(`services.${index}.`),
                )}
                onChange={update(index)}
                onRemove={removeRow(index)}
                focusKey={focusKey}
                onAddStandard={addStandardTo(index)}
                onRemoveStandard={removeStandard(index)}
                attempted={attempted}
              />
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 ? <p>{t('provider.catalog.empty')}</p> : null}
      <div className="actions">
        <Button
          ref={addService}
          className="button secondary"
          onPress={() => {
            const row = emptyService();
            restructure([...rows, row], row.key);
          }}
        >
          {t('provider.catalog.addService')}
        </Button>
        <ActionButton type="submit" pending={save.isPending}>
          {t('provider.catalog.save')}
        </ActionButton>
      </div>
      <ProblemMessage error={save.error} />
    </Form>
  );
}

function RowWithProblems(
  props: Parameters<typeof ServiceRow>[0] & { issues: { field: string; reason: string }[] },
) {
  const { issues, ...row } = props;
  return (
    <>
      <ServiceRow {...row} />
      <RowProblems index={props.index} issues={issues} />
    </>
  );
}
