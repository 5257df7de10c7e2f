import type { Metadata } from 'next';
import { pageContext, orRefuse, requirePermission, may } from '@/lib/next/page';
import { INVITATION_DAYS, listInvitations } from '@/lib/users';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, Card, EmptyState, Table, Td, Tag, formatDate, isPast } from '@/components/ui/layout';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { InvitationForm } from '@/components/users/invitation-form';
import { createInvitationAction, revokeInvitationAction } from './actions';

export const metadata: Metadata = { title: 'Invitations' };

export default async function InvitationsPage({ searchParams }: { searchParams: Promise<{ organization?: string }> }) {
  const ctx = await pageContext('/admin/invitations');
  requirePermission(ctx, 'invitation.create', { type: 'global' });
  const [sp, orgs, invitations] = await Promise.all([
    searchParams,
    orRefuse(organizationChoices(ctx)),
    orRefuse(listInvitations(ctx)),
  ]);
  const canRevoke = may(ctx, 'invitation.revoke', { type: 'global' });
  return (
    <>
      <PageHeader
        title="Invitations"
        breadcrumbs={[{ href: '/admin/users', label: 'Users' }]}
        description={`Invite a CSP user into an organization: they open the link, set their name and password, and can sign in. Links work once, for ${INVITATION_DAYS} days.`}
      />
      <div className="space-y-6">
        <Card>
          <h2 className="mb-3 font-semibold">New invitation</h2>
          {orgs.length === 0 ? (
            <p className="text-sm text-slate-600">
              Create an organization first; invitations are into an organization.
            </p>
          ) : (
            <InvitationForm
              action={createInvitationAction}
              organizations={orgs}
              defaultOrganization={orgs.some((o) => o.slug === sp.organization) ? sp.organization : undefined}
              days={INVITATION_DAYS}
            />
          )}
        </Card>
        <section aria-labelledby="pending-heading">
          <h2 id="pending-heading" className="mb-2 text-lg font-semibold">
            Pending invitations
          </h2>
          {invitations.length === 0 ? (
            <EmptyState title="No pending invitations." />
          ) : (
            <Table
              caption="Pending invitations"
              head={[
                'Email',
                'Organization',
                'Created',
                'Expires',
                ...(canRevoke
                  ? [
                      <span key="a" className="sr-only">
                        Actions
                      </span>,
                    ]
                  : []),
              ]}
            >
              {invitations.map((i) => {
                const expired = isPast(i.expiresAt);
                return (
                  <tr key={i.id}>
                    <Td className="break-all">{i.email}</Td>
                    <Td>
                      {i.organization.name} <span className="text-slate-500">{i.organization.slug}</span>
                    </Td>
                    <Td className="whitespace-nowrap">{formatDate(i.createdAt)}</Td>
                    <Td className="whitespace-nowrap">
                      {formatDate(i.expiresAt)} {expired && <Tag tone="yellow">expired</Tag>}
                    </Td>
                    {canRevoke && (
                      <Td>
                        <ConfirmForm
                          action={revokeInvitationAction}
                          fields={{ id: i.id }}
                          label="Revoke"
                          title={`Revoke the invitation of ${i.email}?`}
                          body="The link stops working at once. You can invite the same address again later."
                        />
                      </Td>
                    )}
                  </tr>
                );
              })}
            </Table>
          )}
        </section>
      </div>
    </>
  );
}
