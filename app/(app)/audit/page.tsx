import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse } from '@/lib/next/page';
import { listAuditEvents, type AuditEventView } from '@/lib/audit/query';
import { organizationChoices } from '@/lib/organizations';
import { ValidationError } from '@/lib/errors';
import type { Page } from '@/lib/pagination';
import { PageHeader, EmptyState, Table, Td, formatTimestamp } from '@/components/ui/layout';
import { Pagination } from '@/components/ui/pagination';

export const metadata: Metadata = { title: 'Audit log' };

const inputClass =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 aria-[invalid=true]:border-red-600';

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const sp = await searchParams;
  const ctx = await pageContext('/audit');
  const filters = {
    action: sp.action,
    actor: sp.actor,
    target: sp.target,
    organization: sp.organization,
    from: sp.from,
    to: sp.to,
  };
  let page: Page<AuditEventView> | null = null;
  let invalid: Record<string, string> | undefined;
  try {
    page = await orRefuse(listAuditEvents(ctx, { ...filters, page: sp.page }));
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    invalid = err.fields;
  }
  const orgs = await orRefuse(organizationChoices(ctx));
  const filtered = Object.values(filters).some(Boolean);
  const field = (
    name: keyof typeof filters,
    label: string,
    props: React.InputHTMLAttributes<HTMLInputElement> = {},
  ) => (
    <div className="text-sm">
      <label htmlFor={`af-${name}`}>{label}</label>
      <input
        id={`af-${name}`}
        name={name}
        defaultValue={sp[name]}
        className={inputClass}
        aria-invalid={invalid?.[name] ? true : undefined}
        aria-describedby={invalid?.[name] ? `af-${name}-error` : undefined}
        {...props}
      />
      {invalid?.[name] && (
        <p id={`af-${name}-error`} className="mt-1 text-red-700">
          {invalid[name]}
        </p>
      )}
    </div>
  );
  return (
    <>
      <PageHeader title="Audit log" description="Every change, who made it, from where. Times are UTC; newest first." />
      <form
        className="mb-4 grid grid-cols-1 items-end gap-3 sm:grid-cols-2 lg:grid-cols-4"
        role="search"
        aria-label="Filter the audit log"
      >
        {field('action', 'Action', { placeholder: 'e.g. cloud or cloud.create' })}
        {field('actor', 'Actor email contains')}
        {field('target', 'Target', { placeholder: 'slug, email or type' })}
        <div className="text-sm">
          <label htmlFor="af-organization">Organization</label>
          <select id="af-organization" name="organization" defaultValue={sp.organization ?? ''} className={inputClass}>
            <option value="">All you may see</option>
            {orgs.map((o) => (
              <option key={o.slug} value={o.slug}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        {field('from', 'From (UTC day)', { type: 'date' })}
        {field('to', 'To (UTC day, inclusive)', { type: 'date' })}
        <div className="flex gap-2">
          <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100">
            Apply
          </button>
          {filtered && (
            <Link href="/audit" className="rounded-md px-3 py-1.5 text-sm underline">
              Clear
            </Link>
          )}
        </div>
      </form>
      {invalid && (
        <p role="alert" className="mb-4 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          Some filters need attention.
        </p>
      )}
      {page &&
        (page.total === 0 ? (
          <EmptyState title={filtered ? 'No event matches these filters.' : 'No events yet.'} />
        ) : (
          <>
            <Table caption="Audit events" head={['Time (UTC)', 'Who', 'Action and target', 'Summary']}>
              {page.items.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <Td className="whitespace-nowrap font-mono text-xs">
                    <time dateTime={new Date(e.at).toISOString()}>{formatTimestamp(e.at).replace(' UTC', '')}</time>
                  </Td>
                  <Td className="max-w-56 break-words">
                    {e.actor}
                    <span className="block font-mono text-xs text-slate-500">{e.clientAddress || '—'}</span>
                  </Td>
                  <Td className="max-w-64 break-words">
                    <code className="text-xs">{e.action}</code>
                    <span className="block text-xs">
                      <span className="text-slate-500">{e.targetType}</span> {e.targetId}
                    </span>
                    {e.organization && <span className="block text-xs text-slate-500">{e.organization.name}</span>}
                  </Td>
                  <Td className="min-w-56 break-words">{e.summary}</Td>
                </tr>
              ))}
            </Table>
            <Pagination page={page.page} pages={page.pages} total={page.total} basePath="/audit" params={filters} />
          </>
        ))}
    </>
  );
}
