import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ActionButton, Loading } from '../ui/buttons';
import { formatInstant } from '../ui/dates';
import { TextInput } from '../ui/fields';
import { useSession } from '../ui/Layout';
import { notify } from '../ui/Notifications';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';

type Member = components['schemas']['OrganisationMembers']['members'][number];
type Invitation = components['schemas']['Invitation'];

const KEY = ['organisation', 'members'];

function InviteForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const invite = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/organisation/invitations', {
          body: { email, ...(displayName.trim() ? { displayName } : {}) },
        }),
      ),
    onSuccess: async (invitation) => {
      notify(t('account.colleagues.sent', { email: invitation.email }));
      setEmail('');
      setDisplayName('');
      await queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <section aria-labelledby="invite">
      <h3 id="invite">{t('account.colleagues.invite')}</h3>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(invite.error)}
        className="form"
      >
        <TextInput
          name="email"
          type="email"
          label={t('account.colleagues.inviteEmail')}
          value={email}
          onChange={setEmail}
          isRequired
        />
        <TextInput
          name="displayName"
          label={t('account.colleagues.inviteName')}
          value={displayName}
          onChange={setDisplayName}
        />
        <ProblemMessage error={invite.error} />
        <ActionButton type="submit" pending={invite.isPending}>
          {t('account.colleagues.send')}
        </ActionButton>
      </Form>
    </section>
  );
}

function MemberRow({ member, self }: { member: Member; self: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/organisation/members/{userId}', { params: { path: { userId: member.id } } }),
      ),
    onSuccess: async () => {
      notify(t('account.colleagues.removed', { name: member.displayName }));
      await queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
  return (
    <tr>
      <th scope="row">
        {member.displayName} {self ? t('account.colleagues.you') : null}
      </th>
      <td>{member.email}</td>
      <td>{formatInstant(member.joinedAt, i18n.language)}</td>
      <td>
        {confirming ? (
          <div
            className="actions"
            role="group"
            aria-label={t('account.colleagues.confirmRemove', { name: member.displayName })}
          >
            <span>{t('account.colleagues.confirmRemove', { name: member.displayName })}</span>
            <ActionButton variant="danger" pending={remove.isPending} onPress={() => remove.mutate()}>
              {t('account.colleagues.confirm')}
            </ActionButton>
            <ActionButton variant="secondary" pending={false} onPress={() => setConfirming(false)}>
              {t('account.colleagues.cancel')}
            </ActionButton>
          </div>
        ) : (
          <ActionButton variant="secondary" pending={false} onPress={() => setConfirming(true)}>
            {t('account.colleagues.remove', { name: member.displayName })}
          </ActionButton>
        )}
        <ProblemMessage error={remove.error} />
      </td>
    </tr>
  );
}

function InvitationRow({ invitation }: { invitation: Invitation }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const withdraw = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/organisation/invitations/{id}', { params: { path: { id: invitation.id } } }),
      ),
    onSuccess: async () => {
      notify(t('account.colleagues.withdrawn', { email: invitation.email }));
      await queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
  return (
    <tr>
      <th scope="row">{invitation.email}</th>
      <td>{invitation.invitedBy.displayName}</td>
      <td>{formatInstant(invitation.expiresAt, i18n.language)}</td>
      <td>
        <ActionButton variant="secondary" pending={withdraw.isPending} onPress={() => withdraw.mutate()}>
          {t('account.colleagues.withdraw', { email: invitation.email })}
        </ActionButton>
        <ProblemMessage error={withdraw.error} />
      </td>
    </tr>
  );
}

/** The organisation's members and open invitations: invite a colleague, withdraw an invitation, remove a member. */
export function Colleagues() {
  const { t } = useTranslation();
  const self = useSession()?.user.id;
  const members = useQuery({
    queryKey: KEY,
    queryFn: () => unwrap(api.GET('/api/v1/organisation/members')),
  });
  return (
    <section aria-labelledby="colleagues">
      <h2 id="colleagues">{t('account.colleagues.heading')}</h2>
      <p>{t('account.colleagues.intro')}</p>
      {members.isPending ? <Loading /> : null}
      <ProblemMessage error={members.error} />
      {members.data ? (
        <>
          <table className="table">
            <caption>{t('account.colleagues.members')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('account.colleagues.col.name')}</th>
                <th scope="col">{t('account.colleagues.col.email')}</th>
                <th scope="col">{t('account.colleagues.col.joined')}</th>
                <th scope="col">{t('account.colleagues.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((member) => (
                <MemberRow key={member.id} member={member} self={member.id === self} />
              ))}
            </tbody>
          </table>
          <h3>{t('account.colleagues.pending')}</h3>
          {members.data.invitations.length === 0 ? <p>{t('account.colleagues.noPending')}</p> : null}
          {members.data.invitations.length ? (
            <table className="table">
              <caption>{t('account.colleagues.pending')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('account.colleagues.pendingCol.email')}</th>
                  <th scope="col">{t('account.colleagues.pendingCol.invitedBy')}</th>
                  <th scope="col">{t('account.colleagues.pendingCol.expires')}</th>
                  <th scope="col">{t('account.colleagues.pendingCol.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {members.data.invitations.map((invitation) => (
                  <InvitationRow key={invitation.id} invitation={invitation} />
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
      <InviteForm />
    </section>
  );
}
