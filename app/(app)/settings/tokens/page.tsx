import type { Metadata } from 'next';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { listTokens, MAX_TOKEN_DAYS } from '@/lib/tokens';
import { PageHeader, Card, EmptyState, Table, Td, Tag, formatDate, isPast } from '@/components/ui/layout';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { TokenForm } from '@/components/tokens/token-form';
import { createTokenAction, revokeTokenAction } from './actions';

export const metadata: Metadata = { title: 'API tokens' };

export default async function TokensPage() {
  const ctx = await pageContext('/settings/tokens');
  const owner = { type: 'token' as const, userId: ctx.actor.id };
  const tokens = await orRefuse(listTokens(ctx, ctx.actor.id));
  const canCreate = may(ctx, 'token.create', owner);
  const canRevoke = may(ctx, 'token.revoke', owner);
  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            Personal tokens for the API at <code className="font-mono">/api/v1</code>. A token acts as you, with your
            role and organizations.
          </>
        }
      />
      <div className="space-y-6">
        {canCreate && (
          <Card>
            <h2 className="mb-3 font-semibold">New token</h2>
            <TokenForm action={createTokenAction} maxDays={MAX_TOKEN_DAYS} />
          </Card>
        )}
        <section aria-labelledby="tokens-heading">
          <h2 id="tokens-heading" className="mb-2 text-lg font-semibold">
            Your tokens
          </h2>
          {tokens.length === 0 ? (
            <EmptyState title="You have no API tokens." />
          ) : (
            <Table
              caption="Your API tokens"
              head={[
                'Name',
                'Prefix',
                'Created',
                'Expires',
                'Last used',
                'State',
                ...(canRevoke
                  ? [
                      <span key="a" className="sr-only">
                        Actions
                      </span>,
                    ]
                  : []),
              ]}
            >
              {tokens.map((t) => {
                const expired = isPast(t.expiresAt);
                return (
                  <tr key={t.id}>
                    <Td className="font-medium">{t.name}</Td>
                    <Td>
                      <code className="font-mono text-xs">{t.prefix}…</code>
                    </Td>
                    <Td className="whitespace-nowrap">{formatDate(t.createdAt)}</Td>
                    <Td className="whitespace-nowrap">{formatDate(t.expiresAt)}</Td>
                    <Td className="whitespace-nowrap">{t.lastUsedAt ? formatDate(t.lastUsedAt) : 'never'}</Td>
                    <Td>
                      {t.revokedAt ? (
                        <Tag tone="red">revoked {formatDate(t.revokedAt)}</Tag>
                      ) : expired ? (
                        <Tag tone="yellow">expired</Tag>
                      ) : (
                        <Tag tone="green">active</Tag>
                      )}
                    </Td>
                    {canRevoke && (
                      <Td>
                        {!t.revokedAt && !expired && (
                          <ConfirmForm
                            action={revokeTokenAction}
                            fields={{ id: t.id }}
                            label="Revoke"
                            title={`Revoke the token "${t.name}"?`}
                            body="Requests with this token are refused from now on. This cannot be undone; create a new token if you need one."
                          />
                        )}
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
