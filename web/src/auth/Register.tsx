import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { applyLocale, type Locale } from '../i18n';
import { ActionButton } from '../ui/buttons';
import { TextInput } from '../ui/fields';
import { LanguageSwitch } from '../ui/Layout';
import { usePageTitle } from '../ui/page';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { usePasswordRefusal, WaitNotice } from './refusals';
import { HOME_OF, session } from './session';

/** A new SME or provider user account; the organisation is registered next, once signed in. */
export function Register() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('register.title'));
  const navigate = useNavigate();
  const [form, setForm] = useState({
    displayName: '',
    email: '',
    password: '',
    role: 'SME' as 'SME' | 'PROVIDER',
  });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const register = useMutation({
    mutationFn: async () => {
      const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
      await unwrap(api.POST('/api/v1/auth/register', { body: { ...form, locale } }));
      return unwrap(api.POST('/api/v1/auth/login', { body: { email: form.email, password: form.password } }));
    },
    onSuccess: async (answer) => {
      session.start(answer);
      await applyLocale(answer.user.locale);
      await navigate({ to: answer.user.role === 'SME' ? '/sme/enterprise' : HOME_OF[answer.user.role] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate();
  };
  // the service's reason, in the reader's language, beside the password field
  const passwordRefusal = usePasswordRefusal(register.error);
  const errors = passwordRefusal
    ? { ...fieldErrors(register.error), password: passwordRefusal }
    : fieldErrors(register.error);
  return (
    <div className="public-page">
      <header className="public-header">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="narrow">
        <h1>{t('register.title')}</h1>
        <p>{t('register.intro')}</p>
        <Form validationBehavior="aria" onSubmit={submit} validationErrors={errors} className="form">
          <RadioGroup
            className="field"
            name="role"
            value={form.role}
            onChange={set('role')}
            orientation="horizontal"
          >
            <Label>{t('register.role')}</Label>
            <div className="checkbox-row">
              <Radio value="SME" className="radio">
                {t('register.roleSme')}
              </Radio>
              <Radio value="PROVIDER" className="radio">
                {t('register.roleProvider')}
              </Radio>
            </div>
          </RadioGroup>
          <TextInput
            name="displayName"
            label={t('register.displayName')}
            value={form.displayName}
            onChange={set('displayName')}
            autoComplete="name"
            isRequired
          />
          <TextInput
            name="email"
            type="email"
            label={t('register.email')}
            value={form.email}
            onChange={set('email')}
            autoComplete="email"
            isRequired
          />
          <TextInput
            name="password"
            type="password"
            label={t('register.password')}
            description={t('register.passwordHint')}
            value={form.password}
            onChange={set('password')}
            autoComplete="new-password"
            isRequired
          />
          <WaitNotice error={register.error} />
          <ProblemMessage error={register.error} />
          <ActionButton type="submit" pending={register.isPending}>
            {t('register.submit')}
          </ActionButton>
        </Form>
        <p>
          {t('register.haveAccount')} <Link to="/sign-in">{t('register.signIn')}</Link>
        </p>
      </main>
    </div>
  );
}
