import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import type { Role } from '../../api/types';
import { ActionButton, Loading } from '../../ui/buttons';
import { formatInstant } from '../../ui/dates';
import { Choice, TextInput } from '../../ui/fields';
import { useSession } from '../../ui/Layout';
import { notify } from '../../ui/Notifications';
import { usePageTitle } from '../../ui/page';
import { fieldErrors, ProblemMessage } from '../../ui/ProblemMessage';

type AdminUser = components['schemas']['AdminUser'];
const ROLES: Role[] = ['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'];
const ANY = 'ANY';

function CreateStaff() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ email: '', displayName: '' });
  const [role, setRole] = useState<'ADMIN' | 'AUDITOR'>('AUDITOR');
  const [locale, setLocale] = useState<'zh-CN' | 'en'>('zh-CN');
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/admin/users', { body: { ...form, role, locale } })),
    onSuccess: async (created) => {
      notify(t('account.users.created', { email: created.email }));
      setForm({ email: '', displayName: '' });
      await queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="create-staff">
      <h2 id="create-staff">{t('account.users.create')}</h2>
      <p>{t('account.users.createIntro')}</p>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(create.error)}
        className="form"
      >
        <TextInput
          name="email"
          type="email"
          label={t('account.users.email')}
          value={form.email}
          onChange={(email) => setForm((f) => ({ ...f, email }))}
          isRequired
        />
        <TextInput
          name="displayName"
          label={t('account.users.displayName')}
          value={form.displayName}
          onChange={(displayName) => setForm((f) => ({ ...f, displayName }))}
          isRequired
        />
        <Choice
          name="role"
          label={t('account.users.newRole')}
          options={[
            { id: 'AUDITOR' as const, label: t('role.AUDITOR') },
            { id: 'ADMIN' as const, label: t('role.ADMIN') },
          ]}
          value={role}
          onChange={(value) => setRole(value ?? 'AUDITOR')}
        />
        <Choice
          name="locale"
          label={t('account.users.language')}
          options={[
            { id: 'zh-CN' as const, label: t('language.zh-CN') },
            { id: 'en' as const, label: t('language.en') },
          ]}
          value={locale}
          onChange={(value) => setLocale(value ?? 'zh-CN')}
        />
        <ProblemMessage error={create.error} />
        <ActionButton type="submit" pending={create.isPending}>
          {t('account.users.submit')}
        </ActionButton>
      </Form>
    </section>
  );
}

function UserRow({ user, self }: { user: AdminUser; self: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const disabled = user.disabledAt !== null;
  const toggle = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/admin/users/{id}', {
          params: { path: { id: user.id } },
          body: { disabled: !disabled },
        }),
      ),
    onSuccess: async (updated) => {
      notify(
        t(updated.disabledAt ? 'account.users.disabledDone' : 'account.users.enabledDone', {
          name: updated.displayName,
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
    },
  });
  return (
    <tr>
      <th scope="row">{user.displayName}</th>
      <td>{user.email}</td>
      <td>{t(`role.${user.role}`)}</td>
      <td>{disabled ? t('account.users.disabled') : t('account.users.active')}</td>
      <td>{formatInstant(user.createdAt, i18n.language)}</td>
      <td>
        {self ? null : (
          <ActionButton
            variant={disabled ? 'secondary' : 'danger'}
            pending={toggle.isPending}
            onPress={() => toggle.mutate()}
          >
            {t(disabled ? 'account.users.enable' : 'account.users.disable', { name: user.displayName })}
          </ActionButton>
        )}
        <ProblemMessage error={toggle.error} />
      </td>
    </tr>
  );
}

/** Every account, by role or a part of the e-mail or name: create staff accounts, disable or enable any. */
export function UsersAdmin() {
  const { t } = useTranslation();
  usePageTitle(t('account.users.title'));
  const self = useSession()?.user.id;
  const [role, setRole] = useState<Role | typeof ANY>(ANY);
  const [text, setText] = useState('');
  const [filter, setFilter] = useState<{ role?: Role; search?: string }>({});
  const users = useInfiniteQuery({
    queryKey: ['admin', 'users', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/admin/users', {
          params: { query: { ...filter, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilter({ ...(role === ANY ? {} : { role }), ...(text.trim() ? { search: text.trim() } : {}) });
  };
  const items = users.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <h1>{t('account.users.title')}</h1>
      <p>{t('account.users.intro')}</p>
      <section aria-labelledby="user-filter">
        <h2 id="user-filter">{t('account.users.filter')}</h2>
        <Form onSubmit={submit} className="form filters">
          <Choice
            name="role"
            label={t('account.users.role')}
            options={[
              { id: ANY, label: t('account.users.anyRole') },
              ...ROLES.map((r) => ({ id: r, label: t(`role.${r}`) })),
            ]}
            value={role}
            onChange={(value) => setRole(value ?? ANY)}
          />
          <TextInput name="search" label={t('account.users.search')} value={text} onChange={setText} />
          <ActionButton type="submit" pending={false}>
            {t('account.users.apply')}
          </ActionButton>
        </Form>
      </section>
      {users.isPending ? <Loading /> : null}
      <ProblemMessage error={users.error} />
      {users.isSuccess && items.length === 0 ? <p>{t('account.users.none')}</p> : null}
      {items.length ? (
        <table className="table">
          <caption>{t('account.users.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('account.users.col.name')}</th>
              <th scope="col">{t('account.users.col.email')}</th>
              <th scope="col">{t('account.users.col.role')}</th>
              <th scope="col">{t('account.users.col.state')}</th>
              <th scope="col">{t('account.users.col.created')}</th>
              <th scope="col">{t('account.users.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((user) => (
              <UserRow key={user.id} user={user} self={user.id === self} />
            ))}
          </tbody>
        </table>
      ) : null}
      {users.hasNextPage ? (
        <ActionButton
          variant="secondary"
          pending={users.isFetchingNextPage}
          onPress={() => void users.fetchNextPage()}
        >
          {t('account.users.more')}
        </ActionButton>
      ) : null}
      <CreateStaff />
    </>
  );
}
