import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ActionButton } from '../ui/buttons';
import { TextInput } from '../ui/fields';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { PublicPage, tokenInLocation } from './PublicPage';
import { usePasswordRefusal } from './refusals';

/** Chooses a new password with the mailed link (a reset, or a new staff account's first password). */
export function ResetPassword() {
  const { t } = useTranslation();
  const [token] = useState(tokenInLocation);
  const [newPassword, setNewPassword] = useState('');
  const complete = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/auth/password-reset/complete', { body: { token: token!, newPassword } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    complete.mutate();
  };
  const passwordRefusal = usePasswordRefusal(complete.error);
  const errors = passwordRefusal
    ? { ...fieldErrors(complete.error), newPassword: passwordRefusal }
    : fieldErrors(complete.error);
  return (
    <PublicPage title={t('account.reset.title')}>
      {!token ? (
        <p role="alert" className="problem">
          {t('account.reset.noToken')}
        </p>
      ) : complete.isSuccess ? (
        <p role="status" className="notice">
          {t('account.reset.done')}
        </p>
      ) : (
        <>
          <p>{t('account.reset.intro')}</p>
          <Form validationBehavior="aria" onSubmit={submit} validationErrors={errors} className="form">
            <TextInput
              name="newPassword"
              type="password"
              label={t('account.reset.newPassword')}
              description={t('register.passwordHint')}
              autoComplete="new-password"
              value={newPassword}
              onChange={setNewPassword}
              isRequired
            />
            <ProblemMessage error={complete.error} />
            <ActionButton type="submit" pending={complete.isPending}>
              {t('account.reset.submit')}
            </ActionButton>
          </Form>
        </>
      )}
      <p>
        {complete.isSuccess ? (
          <Link to="/sign-in">{t('signIn.title')}</Link>
        ) : (
          <Link to="/forgot-password">{t('account.reset.askAgain')}</Link>
        )}
      </p>
    </PublicPage>
  );
}
