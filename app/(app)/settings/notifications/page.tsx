import type { Metadata } from 'next';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { getPreferences, listWebhooks } from '@/lib/notify';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, Card, EmptyState, formatDate } from '@/components/ui/layout';
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
  return (
    <>
      <PageHeader
        title="Notifications"
        description="What you receive when a cloud's status changes, and where webhooks deliver."
      />
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <h2 className="mb-3 font-semibold">E-mail</h2>
          <PreferencesForm
            action={savePreferencesAction}
            statusChanges={prefs.statusChanges}
            attestationExpiry={prefs.attestationExpiry}
          />
          <p className="mt-3 text-xs text-slate-600">
            The contact addresses of an organization and of each cloud always receive status changes.
          </p>
        </Card>
        <Card>
          <h2 className="mb-3 font-semibold">Webhooks</h2>
          {hooks.length === 0 ? (
            <EmptyState title="No webhooks yet" />
          ) : (
            <ul className="mb-4 divide-y divide-slate-100 text-sm">
              {hooks.map((h) => (
                <li key={h.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    <span className="break-all font-mono text-xs">{h.url}</span>
                    <br />
                    <span className="text-slate-600">
                      {h.organization?.name ?? 'all clouds'} · {h.events.join(', ')} · added {formatDate(h.createdAt)}
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
            <WebhookForm action={createWebhookAction} organizations={orgs} allowGlobal={allowGlobal} />
          )}
        </Card>
      </div>
    </>
  );
}
