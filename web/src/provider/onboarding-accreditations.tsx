import { parseDate, type CalendarDate } from '@internationalized/date';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';
import { Choice, DateField, Fieldset, TextInput } from '../ui/fields';

export type Accreditation = components['schemas']['Accreditation'];
type AccreditationInput = components['schemas']['AccreditationInput'];
type AccreditationKind = AccreditationInput['kind'];

const KINDS: readonly AccreditationKind[] = ['CNAS', 'CMA'];

/** An accreditation as the form holds it: text as typed, until it is sent. */
export interface AccreditationDraft {
  key: string;
  kind: AccreditationKind;
  number: string;
  scope: string;
  expiresOn: CalendarDate | null;
}

export function emptyAccreditation(): AccreditationDraft {
  return { key: crypto.randomUUID(), kind: 'CNAS', number: '', scope: '', expiresOn: null };
}

export function accreditationDraft(accreditation: Accreditation): AccreditationDraft {
  return {
    key: crypto.randomUUID(),
    kind: accreditation.kind,
    number: accreditation.number,
    scope: accreditation.scope.join(', '),
    expiresOn: parseDate(accreditation.expiresOn),
  };
}

/** What the service receives; it checks every rule and names each field it refuses. */
export function accreditationInput(draft: AccreditationDraft): AccreditationInput {
  return {
    kind: draft.kind,
    number: draft.number.trim(),
    scope: draft.scope
      .split(/[,，;；\n]/)
      .map((s) => s.trim())
      .filter(Boolean),
    expiresOn: draft.expiresOn?.toString() ?? '',
  };
}

/** The names of the fields the accreditations have on the page, for placing the service's issues. */
export function accreditationFieldNames(drafts: readonly AccreditationDraft[]): string[] {
  return drafts.flatMap((_, i) =>
    ['kind', 'number', 'scope', 'expiresOn'].map((field) => `accreditations.${i}.${field}`),
  );
}

/** How a certificate is named: CNAS numbers carry their mark, CMA numbers are bare digits. */
export function accreditationName(accreditation: Pick<Accreditation, 'kind' | 'number'>): string {
  return accreditation.kind === 'CNAS' ? accreditation.number : `CMA ${accreditation.number}`;
}

/** CNAS and CMA certificates: kind, number, the standards they cover and their last valid day. */
export function AccreditationFields({
  drafts,
  onChange,
}: {
  drafts: AccreditationDraft[];
  onChange: (drafts: AccreditationDraft[]) => void;
}) {
  const { t } = useTranslation();
  const update = (index: number, change: Partial<AccreditationDraft>) =>
    onChange(drafts.map((d, i) => (i === index ? { ...d, ...change } : d)));
  return (
    <>
      {drafts.map((draft, i) => {
        const n = i + 1;
        const name = (field: string) => `accreditations.${i}.${field}`;
        return (
          <Fieldset key={draft.key} legend={t('provider.onboarding.accreditation.legend', { n })}>
            <Choice
              name={name('kind')}
              label={t('provider.onboarding.accreditation.kind')}
              options={KINDS.map((kind) => ({
                id: kind,
                label: t(`provider.onboarding.accreditation.kinds.${kind}`),
              }))}
              value={draft.kind}
              onChange={(kind) => kind && update(i, { kind })}
              isRequired
            />
            <TextInput
              name={name('number')}
              label={t('provider.onboarding.accreditation.number')}
              description={t('provider.onboarding.accreditation.numberHint')}
              value={draft.number}
              onChange={(number) => update(i, { number })}
              isRequired
            />
            <TextInput
              name={name('scope')}
              label={t('provider.onboarding.accreditation.scope')}
              description={t('provider.onboarding.accreditation.scopeHint')}
              value={draft.scope}
              onChange={(scope) => update(i, { scope })}
              isRequired
            />
            <DateField
              name={name('expiresOn')}
              label={t('provider.onboarding.accreditation.expiresOn')}
              description={t('provider.onboarding.accreditation.expiresOnHint')}
              value={draft.expiresOn}
              onChange={(expiresOn) => update(i, { expiresOn })}
              isRequired
            />
            {drafts.length > 1 ? (
              <Button
                className="button secondary small"
                onPress={() => onChange(drafts.filter((_, j) => j !== i))}
              >
                {t('provider.onboarding.accreditation.remove', { n })}
              </Button>
            ) : null}
          </Fieldset>
        );
      })}
      <Button className="button secondary" onPress={() => onChange([...drafts, emptyAccreditation()])}>
        {t('provider.onboarding.accreditation.add')}
      </Button>
    </>
  );
}
