import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, unwrap } from '../api/client';
import { ActionButton } from '../ui/buttons';
import { notify } from '../ui/Notifications';
import { ProblemMessage } from '../ui/ProblemMessage';
import { placeIssues } from './field-issues';
import {
  accreditationDraft,
  accreditationFieldNames,
  AccreditationFields,
  accreditationInput,
  emptyAccreditation,
  type Accreditation,
} from './onboarding-accreditations';

/**
 * The full set of current accreditations, submitted again for verification: renewed certificates
 * before the old ones lapse, or corrections after a refusal. It starts from what was last submitted.
 */
export function RenewAccreditations({
  providerId,
  current,
}: {
  providerId: string;
  current: Accreditation[];
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [drafts, setDrafts] = useState(() =>
    current.length ? current.map(accreditationDraft) : [emptyAccreditation()],
  );
  const renew = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/providers/{id}/accreditations', {
          params: { path: { id: providerId } },
          body: { accreditations: drafts.map(accreditationInput) },
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: async (provider) => {
      notify(t('provider.onboarding.renew.submitted'));
      queryClient.setQueryData(['provider', providerId], provider);
      await queryClient.invalidateQueries({ queryKey: ['provider', providerId] });
    },
  });
  const issues = placeIssues(renew.error, accreditationFieldNames(drafts));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    renew.mutate();
  };
  return (
    <section aria-labelledby="renew-heading">
      <h2 id="renew-heading">{t('provider.onboarding.renew.heading')}</h2>
      <p>{t('provider.onboarding.renew.intro')}</p>
      <Form validationBehavior="aria" onSubmit={submit} validationErrors={issues.at} className="form">
        <AccreditationFields drafts={drafts} onChange={setDrafts} />
        <ProblemMessage error={renew.error} />
        <ActionButton type="submit" pending={renew.isPending}>
          {t('provider.onboarding.renew.submit')}
        </ActionButton>
      </Form>
    </section>
  );
}
