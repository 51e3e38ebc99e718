import { useMutation } from '@tanstack/react-query';
import { Link, useRouter } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { applyLocale } from '../i18n';
import { ActionButton } from '../ui/buttons';
import { TextInput } from '../ui/fields';
import { LanguageSwitch } from '../ui/Layout';
import { usePageTitle } from '../ui/page';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { WaitNotice } from './refusals';
import { HOME_OF, session } from './session';

/** Where to go after signing in: the page asked for, if it is one of ours. */
export function safeRedirect(target: string | undefined): string | null {
  return target && target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/sign-in')
    ? target
    : null;
}

export function SignIn({ redirect }: { redirect?: string }) {
  const { t } = useTranslation();
  usePageTitle(t('signIn.title'));
  const router = useRouter();
  const [reason] = useState(() => session.takeEndReason());
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/login', { body: { email, password } })),
    onSuccess: async (answer) => {
      session.start(answer);
      await applyLocale(answer.user.locale);
      router.history.push(safeRedirect(redirect) ?? HOME_OF[answer.user.role]);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  return (
    <div className="public-page">
      <header className="public-header">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="narrow">
        <h1>{t('signIn.title')}</h1>
        {reason === 'expired' ? (
          <p role="status" className="notice">
            {t('signIn.expired')}
          </p>
        ) : null}
        {reason === 'signedOut' ? (
          <p role="status" className="notice">
            {t('signIn.signedOut')}
          </p>
        ) : null}
        <Form
          validationBehavior="aria"
          onSubmit={submit}
          validationErrors={fieldErrors(signIn.error)}
          className="form"
        >
          <TextInput
            name="email"
            type="email"
            label={t('signIn.email')}
            autoComplete="username"
            value={email}
            onChange={setEmail}
            isRequired
          />
          <TextInput
            name="password"
            type="password"
            label={t('signIn.password')}
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            isRequired
          />
          <WaitNotice error={signIn.error} />
          <ProblemMessage error={signIn.error} />
          <ActionButton type="submit" pending={signIn.isPending}>
            {t('signIn.submit')}
          </ActionButton>
        </Form>
        <p>
          <Link to="/forgot-password">{t('account.forgot.link')}</Link>
        </p>
        <p>
          {t('signIn.noAccount')} <Link to="/register">{t('signIn.register')}</Link>
        </p>
      </main>
    </div>
  );
}
