import type { ConnectionTestResult, CredentialView } from '@/lib/credentials';
import { Tag, Time } from '@/components/ui/layout';
import { formatDateTime, plural } from '@/lib/format';

/** The write-only view: how to recognise a stored credential, never the secret. */
export function CredentialSummary({ credential: c }: { credential: CredentialView }) {
  return (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm [&_dd]:break-words">
      <dt className="text-slate-600">Type</dt>
      <dd>{c.type === 'password' ? 'User and password' : 'Application credential'}</dd>
      <dt className="text-slate-600">{c.type === 'password' ? 'User' : 'Credential id'}</dt>
      <dd className="break-all font-mono">{c.principal}</dd>
      <dt className="text-slate-600">Auth URL</dt>
      <dd className="break-all font-mono">{c.authUrl}</dd>
      <dt className="text-slate-600">Region</dt>
      <dd>
        {c.region} ({c.interface})
      </dd>
      <dt className="text-slate-600">Fingerprint</dt>
      <dd>
        <span className="font-mono">…{c.fingerprint}</span>{' '}
        <span className="text-xs text-slate-600">(last 4 hex digits of the secret&apos;s SHA-256)</span>
      </dd>
      <dt className="text-slate-600">Options</dt>
      <dd>
        {c.hasCaBundle ? 'custom CA bundle' : 'system CAs'}
        {c.allowPrivateAddresses ? ', private addresses allowed' : ''}
      </dd>
      <dt className="text-slate-600">Set by</dt>
      <dd>
        {c.setBy}, <Time value={c.setAt} />
      </dd>
    </dl>
  );
}

export function TestResult({ result: r }: { result: ConnectionTestResult }) {
  return (
    <div
      className="mt-3 min-w-0 space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm"
      role="group"
      aria-label="Last connection test"
      data-testid="last-test"
    >
      {r.warnings.length > 0 && (
        <div
          className="rounded-md border border-yellow-400 bg-yellow-50 p-2 text-yellow-950"
          data-testid="test-warnings"
        >
          <p className="font-medium">{plural(r.warnings.length, 'problem')} to fix before the first run</p>
          <ul className="mt-1 list-disc space-y-1 pl-5">
            {r.warnings.map((w) => (
              <li key={w} className="break-words">
                {w}
              </li>
            ))}
          </ul>
        </div>
      )}
      <p>
        <span className="font-medium">Last test</span> <Time value={r.testedAt} />:{' '}
        {r.ok ? <Tag tone="green">authenticated</Tag> : <Tag tone="red">failed</Tag>}{' '}
        <span className="text-slate-600">({r.durationMs} ms)</span>
      </p>
      {r.error && <p className="text-red-800">{r.error}</p>}
      {r.ok && (
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 [&_dd]:break-all">
          <dt className="text-slate-600">Roles</dt>
          <dd>{r.roles.join(', ') || '—'}</dd>
          <dt className="text-slate-600">Project</dt>
          <dd>
            {r.project
              ? `${r.project.name ?? ''} (${r.project.id})${r.project.domain ? ` in ${r.project.domain}` : ''}`
              : '—'}
          </dd>
          <dt className="text-slate-600">Services</dt>
          <dd>{r.services.join(', ') || '—'}</dd>
          <dt className="text-slate-600">Key manager</dt>
          <dd>
            {r.keyManager ? `${r.keyManager.url} (${r.keyManager.region ?? 'no region'})` : `none in ${r.region}`}
          </dd>
          {r.tls?.validTo && (
            <>
              <dt className="text-slate-600">TLS certificate</dt>
              <dd>
                valid until {formatDateTime(r.tls.validTo) === '—' ? r.tls.validTo : formatDateTime(r.tls.validTo)}
                {r.tls.issuer ? `, issued by ${r.tls.issuer}` : ''}
              </dd>
            </>
          )}
        </dl>
      )}
      {r.ok && r.warnings.length === 0 && (
        <p className="text-green-900" data-testid="test-ready">
          No problems found: ready for a run.
        </p>
      )}
    </div>
  );
}
