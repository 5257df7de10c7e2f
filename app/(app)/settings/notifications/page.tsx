import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { EVENTS, EVENT_LABELS, getPreferences, listWebhooks, notifySettings, smtpConfigured } from '@/lib/notify';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, Card, EmptyState, Tag, formatDate } from '@/components/ui/layout';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { PreferencesForm, WebhookForm } from '@/components/runs/notification-forms';
import { createWebhookAction, deleteWebhookAction, savePreferencesAction } from './actions';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage() {
  const ctx = await pageContext('/settings/notifications');
  const prefs = await orRefuse(getPreferences(ctx));
  const hooks = await orRefuse(listWebhooks(ctx));
  const orgs = await orRefuse(organizationChoices(ctx));
  const allowGlobal = may(ctx, 'webhook.manage', { type: 'global' });
  const seesLog = may(ctx, 'webhook.log.read', { type: 'global' });
  const email = smtpConfigured();
  const holdHours = notifySettings().emailHoldMs / 3_600_000;
  return (
    <>
      <PageHeader
        title="Notifications"
        description="What you receive by e-mail about clouds (status changes, attestation reviews, expiry), and where webhooks deliver."
      />
      {!email && (
        <div
          role="note"
          data-testid="email-not-configured"
          className="mb-4 rounded-md border border-yellow-300 bg-yellow-50 px-3 py-2 text-sm text-yellow-950"
        >
          <p className="font-medium">E-mail is not configured on this instance: no notification is sent by e-mail.</p>
          {seesLog ? (
            <p className="mt-1">
              Set <code className="font-mono">SMTP_URL</code> (and <code className="font-mono">SMTP_FROM</code>) for the
              web and worker processes and restart them. Until then e-mail deliveries are held; those held less than{' '}
              {holdHours} h are sent once e-mail works, older ones are dropped. The{' '}
              <Link className="underline" href="/admin/deliveries?status=not-sent">
                delivery log
              </Link>{' '}
              lists them. Webhooks are not affected.
            </p>
          ) : (
            <p className="mt-1">
              Your choices below are kept and apply once the operator of this instance configures e-mail. Webhooks are
              not affected.
            </p>
          )}
        </div>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <h2 className="mb-3 font-semibold">E-mail</h2>
          <PreferencesForm
            action={savePreferencesAction}
            statusChanges={prefs.statusChanges}
            attestationExpiry={prefs.attestationExpiry}
            attestationReviews={prefs.attestationReviews}
          />
          <p className="mt-3 text-xs text-slate-600">
            The contact addresses of an organization and of each cloud always receive every notification about it.
          </p>
        </Card>
        <Card>
          <h2 className="mb-3 font-semibold">Webhooks</h2>
          {hooks.length === 0 ? (
            <EmptyState title="No webhooks yet" />
          ) : (
            <ul className="mb-4 divide-y divide-slate-100 text-sm" data-testid="webhooks">
              {hooks.map((h) => (
                <li key={h.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span className="min-w-0">
                    <span className="break-all font-mono text-xs">{h.url}</span>
                    {!h.active && (
                      <>
                        {' '}
                        <Tag tone="yellow">switched off</Tag>
                      </>
                    )}
                    <br />
                    <span className="text-slate-600">
                      {h.organization?.name ?? 'all clouds'} · {h.events.map((e) => EVENT_LABELS[e]).join(', ')} · added{' '}
                      {formatDate(h.createdAt)}
                    </span>
                  </span>
                  <ConfirmForm
                    action={deleteWebhookAction}
                    fields={{ id: h.id }}
                    label="Remove"
                    title="Remove this webhook?"
                    body="It receives no further deliveries; its log entries stay."
                  />
                </li>
              ))}
            </ul>
          )}
          {(orgs.length > 0 || allowGlobal) && (
            <WebhookForm
              action={createWebhookAction}
              organizations={orgs}
              allowGlobal={allowGlobal}
              events={EVENTS.map((e) => [e, EVENT_LABELS[e][0]!.toUpperCase() + EVENT_LABELS[e].slice(1)])}
            />
          )}
        </Card>
      </div>
    </>
  );
}
