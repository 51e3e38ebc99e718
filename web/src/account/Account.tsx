import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { usePasswordRefusal } from '../auth/refusals';
import { endSession, session } from '../auth/session';
import { applyLocale, type Locale } from '../i18n';
import { ActionButton } from '../ui/buttons';
import { Choice, Fieldset, TextInput } from '../ui/fields';
import { useSession } from '../ui/Layout';
import { notify } from '../ui/Notifications';
import { usePageTitle } from '../ui/page';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';

/** Signs out this session at the service (its token stops working), then here. */
export async function signOutHere(): Promise<void> {
  // the session ends here whatever the service answers: a token it no longer knows is no loss
  await api.POST('/api/v1/auth/logout').catch(() => undefined);
  endSession('signedOut');
}

function Profile() {
  const { t } = useTranslation();
  const user = useSession()!.user;
  const [displayName, setDisplayName] = useState(user.displayName);
  const [locale, setLocale] = useState<Locale>(user.locale);
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/me', { body: { displayName, locale } })),
    onSuccess: async (updated) => {
      session.updateUser(updated);
      await applyLocale(updated.locale);
      notify(t('account.page.saved'));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <section aria-labelledby="profile">
      <h2 id="profile">{t('account.page.profile')}</h2>
      <p>
        {t('account.page.email')}: {user.email} (
        {user.emailVerified ? t('account.page.emailVerified') : t('account.page.emailUnverified')})
      </p>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(save.error)}
        className="form"
      >
        <TextInput
          name="displayName"
          label={t('account.page.displayName')}
          autoComplete="name"
          value={displayName}
          onChange={setDisplayName}
          isRequired
        />
        <Choice
          name="locale"
          label={t('account.page.language')}
          options={[
            { id: 'zh-CN' as const, label: t('language.zh-CN') },
            { id: 'en' as const, label: t('language.en') },
          ]}
          value={locale}
          onChange={(value) => setLocale(value ?? 'zh-CN')}
        />
        <ProblemMessage error={save.error} />
        <ActionButton type="submit" pending={save.isPending}>
          {t('account.page.save')}
        </ActionButton>
      </Form>
    </section>
  );
}

function PasswordChange() {
  const { t } = useTranslation();
  const [form, setForm] = useState({ currentPassword: '', newPassword: '' });
  const change = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/password', { body: form })),
    onSuccess: (fresh) => {
      // the answer is this device's new session: every other one has ended
      session.start(fresh);
      setForm({ currentPassword: '', newPassword: '' });
      notify(t('account.page.passwordChanged'));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  const passwordRefusal = usePasswordRefusal(change.error);
  const errors = passwordRefusal
    ? { ...fieldErrors(change.error), newPassword: passwordRefusal }
    : fieldErrors(change.error);
  return (
    <section aria-labelledby="password">
      <h2 id="password">{t('account.page.password')}</h2>
      <p>{t('account.page.passwordIntro')}</p>
      <Form validationBehavior="aria" onSubmit={submit} validationErrors={errors} className="form">
        <Fieldset legend={t('account.page.password')}>
          <TextInput
            name="currentPassword"
            type="password"
            label={t('account.page.currentPassword')}
            autoComplete="current-password"
            value={form.currentPassword}
            onChange={(currentPassword) => setForm((f) => ({ ...f, currentPassword }))}
            isRequired
          />
          <TextInput
            name="newPassword"
            type="password"
            label={t('account.page.newPassword')}
            description={t('register.passwordHint')}
            autoComplete="new-password"
            value={form.newPassword}
            onChange={(newPassword) => setForm((f) => ({ ...f, newPassword }))}
            isRequired
          />
        </Fieldset>
        <ProblemMessage error={change.error} />
        <ActionButton type="submit" pending={change.isPending}>
          {t('account.page.changePassword')}
        </ActionButton>
      </Form>
    </section>
  );
}

function Sessions() {
  const { t } = useTranslation();
  const signOut = useMutation({ mutationFn: signOutHere });
  const everywhere = useMutation({
    mutationFn: async () => {
      await unwrap(api.POST('/api/v1/auth/logout-everywhere'));
      endSession('signedOut');
    },
  });
  return (
    <section aria-labelledby="sessions">
      <h2 id="sessions">{t('account.page.sessions')}</h2>
      <p>{t('account.page.sessionsIntro')}</p>
      <div className="actions">
        <ActionButton variant="secondary" pending={signOut.isPending} onPress={() => signOut.mutate()}>
          {t('account.page.signOut')}
        </ActionButton>
        <ActionButton variant="danger" pending={everywhere.isPending} onPress={() => everywhere.mutate()}>
          {t('account.page.signOutEverywhere')}
        </ActionButton>
      </div>
      <ProblemMessage error={everywhere.error} />
    </section>
  );
}

/** The signed-in user's own account: name and language, password, and signing out here or everywhere. */
export function Account() {
  const { t } = useTranslation();
  usePageTitle(t('account.page.title'));
  return (
    <>
      <h1>{t('account.page.title')}</h1>
      <Profile />
      <PasswordChange />
      <Sessions />
    </>
  );
}
