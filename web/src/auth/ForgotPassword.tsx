import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ActionButton } from '../ui/buttons';
import { TextInput } from '../ui/fields';
import { fieldErrors, ProblemMessage, problemOf } from '../ui/ProblemMessage';
import { PublicPage } from './PublicPage';
import { WaitNotice } from './refusals';

const MAIL_LIMITS = ['ACCOUNT_MAILS_FROM_ADDRESS', 'ACCOUNT_MAILS_TO_RECIPIENT'] as const;

/** Asks for a link to choose a new password; the answer is the same whether or not the e-mail has an account. */
export function ForgotPassword() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const request = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/password-reset', { body: { email } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  const limit = (problemOf(request.error)?.details as { reason?: string } | undefined)?.reason;
  const mailLimit = MAIL_LIMITS.find((reason) => reason === limit);
  return (
    <PublicPage title={t('account.forgot.title')}>
      <p>{t('account.forgot.intro')}</p>
      {request.isSuccess ? (
        <p role="status" className="notice">
          {t('account.forgot.sent')}
        </p>
      ) : (
        <Form
          validationBehavior="aria"
          onSubmit={submit}
          validationErrors={fieldErrors(request.error)}
          className="form"
        >
          <TextInput
            name="email"
            type="email"
            label={t('account.forgot.email')}
            autoComplete="email"
            value={email}
            onChange={setEmail}
            isRequired
          />
          {mailLimit ? (
            <p role="status" className="notice">
              {t(`account.forgot.wait.${mailLimit}`)}
            </p>
          ) : (
            <WaitNotice error={request.error} />
          )}
          <ProblemMessage error={request.error} />
          <ActionButton type="submit" pending={request.isPending}>
            {t('account.forgot.submit')}
          </ActionButton>
        </Form>
      )}
      <p>
        <Link to="/sign-in">{t('account.forgot.backToSignIn')}</Link>
      </p>
    </PublicPage>
  );
}
