import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { applyLocale, type Locale } from '../i18n';
import { ActionButton } from '../ui/buttons';
import { Choice, TextInput } from '../ui/fields';
import { notify } from '../ui/Notifications';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { PublicPage, tokenInLocation } from './PublicPage';
import { usePasswordRefusal } from './refusals';
import { HOME_OF, session } from './session';

/** Joins the organisation a colleague invited the reader into: name, password, language; then signed in. */
export function AcceptInvitation() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [token] = useState(tokenInLocation);
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [locale, setLocale] = useState<Locale>(i18n.language === 'en' ? 'en' : 'zh-CN');
  const accept = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/auth/invitations/accept', {
          body: { token: token ?? '', password, displayName, locale },
        }),
      ),
    onSuccess: async (answer) => {
      session.start(answer);
      await applyLocale(answer.user.locale);
      notify(t('account.invitation.joined', { name: answer.user.displayName }));
      await navigate({ to: HOME_OF[answer.user.role] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate();
  };
  const passwordRefusal = usePasswordRefusal(accept.error);
  const errors = passwordRefusal
    ? { ...fieldErrors(accept.error), password: passwordRefusal }
    : fieldErrors(accept.error);
  return (
    <PublicPage title={t('account.invitation.title')}>
      {!token ? (
        <p role="alert" className="problem">
          {t('account.reset.noToken')}
        </p>
      ) : (
        <>
          <p>{t('account.invitation.intro')}</p>
          <Form validationBehavior="aria" onSubmit={submit} validationErrors={errors} className="form">
            <TextInput
              name="displayName"
              label={t('account.invitation.displayName')}
              autoComplete="name"
              value={displayName}
              onChange={setDisplayName}
              isRequired
            />
            <TextInput
              name="password"
              type="password"
              label={t('account.invitation.password')}
              description={t('register.passwordHint')}
              autoComplete="new-password"
              value={password}
              onChange={setPassword}
              isRequired
            />
            <Choice
              name="locale"
              label={t('account.invitation.language')}
              options={[
                { id: 'zh-CN' as const, label: t('language.zh-CN') },
                { id: 'en' as const, label: t('language.en') },
              ]}
              value={locale}
              onChange={(value) => setLocale(value ?? 'zh-CN')}
            />
            <ProblemMessage error={accept.error} />
            <ActionButton type="submit" pending={accept.isPending}>
              {t('account.invitation.submit')}
            </ActionButton>
          </Form>
        </>
      )}
    </PublicPage>
  );
}
