import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, may, type PageContext } from '@/lib/next/page';
import { getOrganization, listOrganizationMembers } from '@/lib/organizations';
import { listClouds } from '@/lib/clouds';
import { PageHeader, Card, EmptyState, Table, Td, Tag, formatDate } from '@/components/ui/layout';
import { LinkButton } from '@/components/ui/button';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { archiveOrganizationAction } from '../actions';
import { keyResource, listKeys, type KeyView } from '@/lib/interop/keys';
import { KeyForm } from '@/components/interop/key-form';
import { addKeyAction, approveKeyAction, deleteKeyAction, withdrawKeyApprovalAction } from '../key-actions';

export const metadata: Metadata = { title: 'Organization' };

/** A key's approval state, for everyone who sees the key (the tag and its sentence read as one). */
function KeyApproval({ approvedAt, approvedBy }: { approvedAt: Date | null; approvedBy: string | null }) {
  return (
    <span className="mt-1 block text-xs text-slate-700" data-testid="key-approval">
      {approvedAt ? (
        <>
          <Tag tone="green">Approved</Tag> by <span className="break-all">{approvedBy ?? 'staff'}</span> on{' '}
          {formatDate(approvedAt)}: its reports count.
        </>
      ) : (
        <>
          <Tag tone="yellow">Not approved</Tag>: its reports are kept but do not count.
        </>
      )}
    </span>
  );
}

/** Approve / Withdraw approval (staff), Remove (the CSP while unapproved, staff once approved): as the policy says. */
function KeyActions({
  ctx,
  organization,
  k,
}: {
  ctx: PageContext;
  organization: { id: string; slug: string; name: string; archived: boolean };
  k: KeyView;
}) {
  const resource = keyResource({ organizationId: organization.id, approvedAt: k.approvedAt });
  const fields = { organization: organization.slug, name: k.name };
  const canApprove = !k.approvedAt && !organization.archived && may(ctx, 'key.approve', resource);
  const canWithdraw = !!k.approvedAt && may(ctx, 'key.unapprove', resource);
  const canRemove = !organization.archived && may(ctx, 'key.delete', resource);
  // A CSP member who could remove the key were it not approved is told why the button is missing.
  const removableIfUnapproved =
    !!k.approvedAt &&
    !canRemove &&
    !organization.archived &&
    may(ctx, 'key.create', { type: 'organization', id: organization.id });
  if (!canApprove && !canWithdraw && !canRemove && !removableIfUnapproved) return null;
  return (
    <div className="mt-2 flex flex-wrap gap-2">
      {canApprove && (
        <ConfirmForm
          action={approveKeyAction}
          fields={fields}
          label="Approve"
          variant="primary"
          title={`Approve key "${k.name}"?`}
          body={
            <>
              <p>
                Approve only a key of the official SCS runner whose fingerprint you have checked:{' '}
                <code className="break-all">{k.fingerprint}</code>.
              </p>
              <p>
                Reports signed with it, those imported already and new ones, then count toward the verdicts and
                certificates of {organization.name}&apos;s clouds.
              </p>
            </>
          }
        />
      )}
      {canWithdraw && (
        <ConfirmForm
          action={withdrawKeyApprovalAction}
          fields={fields}
          label="Withdraw approval"
          variant="secondary"
          title={`Withdraw the approval of "${k.name}"?`}
          body={`Runs imported from reports signed with ${k.fingerprint} are kept and shown, but stop counting toward verdicts and certificates at once: the status of ${organization.name}'s clouds may change. New reports it signs are still taken, and do not count.`}
        />
      )}
      {canRemove && (
        <ConfirmForm
          action={deleteKeyAction}
          fields={fields}
          label="Remove"
          title={`Remove key "${k.name}"?`}
          body={
            k.approvedAt
              ? `Reports signed with ${k.fingerprint} are refused from now on. Runs already imported with it stay, but no longer count toward verdicts or certificates.`
              : `Reports signed with ${k.fingerprint} are refused from now on. Runs already imported with it stay (they do not count: the key is not approved).`
          }
        />
      )}
      {removableIfUnapproved && (
        <p className="text-xs text-slate-600">Only certification staff can remove an approved key.</p>
      )}
    </div>
  );
}

export default async function OrganizationPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await pageContext(`/organizations/${slug}`);
  const org = await orRefuse(getOrganization(ctx, slug));
  const resource = { type: 'organization' as const, id: org.id };
  const canEdit = may(ctx, 'organization.update', resource);
  const canArchive = may(ctx, 'organization.archive', resource);
  const canAddCloud = !org.archivedAt && may(ctx, 'cloud.create', resource);
  const canInvite = !org.archivedAt && may(ctx, 'invitation.create', { type: 'global' });
  const canAddKeys = !org.archivedAt && may(ctx, 'key.create', resource);
  const [clouds, members, keys] = await Promise.all([
    orRefuse(listClouds(ctx, { organization: org.slug, archived: true, pageSize: 200 })),
    canEdit ? orRefuse(listOrganizationMembers(ctx, org.slug)) : Promise.resolve(null),
    orRefuse(listKeys(ctx, org.slug)),
  ]);
  return (
    <>
      <PageHeader
        title={org.name}
        breadcrumbs={[{ href: '/organizations', label: 'Organizations' }]}
        description={
          <>
            {org.slug} {org.archivedAt && <Tag tone="yellow">archived {formatDate(org.archivedAt)}</Tag>}
          </>
        }
        actions={
          canEdit || canArchive ? (
            <>
              {canEdit && <LinkButton href={`/organizations/${org.slug}/edit`}>Edit</LinkButton>}
              {canArchive && (
                <ConfirmForm
                  action={archiveOrganizationAction}
                  fields={{ slug: org.slug, archive: org.archivedAt ? 'false' : 'true' }}
                  label={org.archivedAt ? 'Restore' : 'Archive'}
                  variant={org.archivedAt ? 'secondary' : 'danger'}
                  title={org.archivedAt ? `Restore ${org.name}?` : `Archive ${org.name}?`}
                  body={
                    org.archivedAt
                      ? 'The organization returns to the lists; clouds can be added to it and users invited again.'
                      : 'The organization leaves the lists; no clouds can be added and open invitations stop working. Its clouds, members and history are kept; you can restore it.'
                  }
                />
              )}
            </>
          ) : undefined
        }
      />
      <div className="space-y-6">
        <Card>
          <h2 className="mb-2 font-semibold">About</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">Slug</dt>
            <dd>{org.slug}</dd>
            <dt className="text-slate-600">Contacts</dt>
            <dd className="break-all">{org.contactEmails.join(', ') || '—'}</dd>
            <dt className="text-slate-600">Created</dt>
            <dd>{formatDate(org.createdAt)}</dd>
          </dl>
        </Card>

        <section aria-labelledby="clouds-heading">
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <h2 id="clouds-heading" className="text-lg font-semibold">
              Clouds
            </h2>
            {canAddCloud && (
              <LinkButton href={`/clouds/new?organization=${encodeURIComponent(org.slug)}`}>Add a cloud</LinkButton>
            )}
          </div>
          {clouds.total === 0 ? (
            <EmptyState title="This organization has no clouds yet.">
              {canAddCloud ? (
                <Link className="underline" href={`/clouds/new?organization=${encodeURIComponent(org.slug)}`}>
                  Add its first cloud
                </Link>
              ) : null}
            </EmptyState>
          ) : (
            <Table caption={`Clouds of ${org.name}`} head={['Cloud', 'Region', 'Visibility']}>
              {clouds.items.map((c) => (
                <tr key={c.id}>
                  <Td>
                    <Link href={`/clouds/${c.slug}`} className="font-medium text-blue-800 hover:underline">
                      {c.name}
                    </Link>{' '}
                    <span className="text-slate-500">{c.slug}</span>
                    {c.archivedAt && (
                      <>
                        {' '}
                        <Tag tone="yellow">archived</Tag>
                      </>
                    )}
                  </Td>
                  <Td>{c.region}</Td>
                  <Td>{c.public ? <Tag tone="blue">public</Tag> : <Tag>private</Tag>}</Td>
                </tr>
              ))}
            </Table>
          )}
          {clouds.total > clouds.items.length && (
            <p className="mt-2 text-sm">
              <Link className="underline" href={`/clouds?organization=${encodeURIComponent(org.slug)}&archived=1`}>
                All {clouds.total} clouds
              </Link>
            </p>
          )}
        </section>

        <section aria-labelledby="keys-heading">
          <h2 id="keys-heading" className="mb-1 text-lg font-semibold">
            Report-signing keys
          </h2>
          <p className="mb-2 max-w-3xl text-sm text-slate-700">
            The official SCS runner signs its reports with an SSH key (<code>ssh-keygen -Y sign -n report</code>) and
            uploads them to this dashboard&apos;s <code>/reports</code>. A report is accepted for a cloud of {org.name}{' '}
            only when one of these keys signed it. See <em>Using the official SCS runner</em> in the user guide.
          </p>
          <p className="mb-2 max-w-3xl text-sm text-slate-700">
            A report counts toward verdicts and certificates only while the certification body approves the key that
            signed it: in SCS, the reports that count are signed by SCS&apos;s own runner (Zuul), not by a key of the
            cloud being certified. Reports signed with a key that is not approved are kept and shown, but do not count.
          </p>
          {keys.length === 0 ? (
            <EmptyState title="No keys yet: uploaded reports of this organization's clouds are refused." />
          ) : (
            <Table caption={`Report-signing keys of ${org.name}`} head={['Key', 'Added and last used']}>
              {keys.map((k) => (
                <tr key={k.name} data-testid={`key-${k.name}`}>
                  {/* Two columns, the fingerprint under its key and Remove under the dates: at 390 px the
                      table fits and Remove stays in view. */}
                  <Td>
                    <span className="block font-medium">{k.name}</span>
                    <span className="block whitespace-nowrap text-xs text-slate-600">
                      {k.type} · {k.bits} bits
                    </span>
                    <code className="mt-1 block break-all text-xs text-slate-700">{k.fingerprint}</code>
                    <KeyApproval approvedAt={k.approvedAt} approvedBy={k.approvedBy} />
                  </Td>
                  <Td>
                    <span className="block whitespace-nowrap">{formatDate(k.createdAt)}</span>
                    <span className="block break-all text-xs text-slate-600">{k.createdBy}</span>
                    <span className="mt-1 block text-xs text-slate-600">
                      last used {k.lastUsedAt ? formatDate(k.lastUsedAt) : 'never'}
                    </span>
                    <KeyActions
                      ctx={ctx}
                      organization={{ id: org.id, slug: org.slug, name: org.name, archived: !!org.archivedAt }}
                      k={k}
                    />
                  </Td>
                </tr>
              ))}
            </Table>
          )}
          {canAddKeys && (
            <Card className="mt-3">
              <h3 className="mb-2 font-medium">Register a key</h3>
              <KeyForm action={addKeyAction} organization={org.slug} />
            </Card>
          )}
        </section>

        {members && (
          <section aria-labelledby="members-heading">
            <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
              <h2 id="members-heading" className="text-lg font-semibold">
                Members
              </h2>
              {canInvite && (
                <LinkButton href={`/admin/invitations?organization=${encodeURIComponent(org.slug)}`}>
                  Invite a user
                </LinkButton>
              )}
            </div>
            {members.length === 0 ? (
              <EmptyState title="No users belong to this organization yet." />
            ) : (
              <Table caption={`Members of ${org.name}`} head={['User', 'Role', 'State', 'Last sign-in']}>
                {members.map((m) => (
                  <tr key={m.id}>
                    <Td>
                      {may(ctx, 'user.read', { type: 'user', id: m.id }) ? (
                        <Link href={`/admin/users/${m.id}`} className="font-medium text-blue-800 hover:underline">
                          {m.email}
                        </Link>
                      ) : (
                        <span className="font-medium">{m.email}</span>
                      )}
                      {m.name && <span className="block text-slate-500">{m.name}</span>}
                    </Td>
                    <Td>{m.role}</Td>
                    <Td>{m.active ? <Tag tone="green">active</Tag> : <Tag tone="red">deactivated</Tag>}</Td>
                    <Td className="whitespace-nowrap">{formatDate(m.lastSignInAt)}</Td>
                  </tr>
                ))}
              </Table>
            )}
          </section>
        )}
      </div>
    </>
  );
}
