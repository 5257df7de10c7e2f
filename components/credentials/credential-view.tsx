import type { ConnectionTestResult, CredentialView } from '@/lib/credentials';
import { Tag, formatDate } from '@/components/ui/layout';

/** The write-only view: how to recognise a stored credential, never the secret. */
export function CredentialSummary({ credential: c }: { credential: CredentialView }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-600">Type</dt>
      <dd>{c.type === 'password' ? 'User and password' : 'Application credential'}</dd>
      <dt className="text-slate-600">{c.type === 'password' ? 'User' : 'Credential id'}</dt>
      <dd className="font-mono">{c.principal}</dd>
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
        {c.setBy}, {formatDate(c.setAt)}
      </dd>
    </dl>
  );
}

export function TestResult({ result: r }: { result: ConnectionTestResult }) {
  return (
    <div
      className="mt-3 space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm"
      aria-label="Last connection test"
    >
      <p>
        <span className="font-medium">Last test</span> {formatDate(r.testedAt)}:{' '}
        {r.ok ? <Tag tone="green">authenticated</Tag> : <Tag tone="red">failed</Tag>}{' '}
        <span className="text-slate-600">({r.durationMs} ms)</span>
      </p>
      {r.error && <p className="text-red-800">{r.error}</p>}
      {r.ok && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
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
          <dd className="break-all">
            {r.keyManager ? `${r.keyManager.url} (${r.keyManager.region ?? 'no region'})` : `none in ${r.region}`}
          </dd>
          {r.tls?.validTo && (
            <>
              <dt className="text-slate-600">TLS certificate</dt>
              <dd>
                valid until {r.tls.validTo}
                {r.tls.issuer ? `, issued by ${r.tls.issuer}` : ''}
              </dd>
            </>
          )}
        </dl>
      )}
      {r.warnings.length > 0 && (
        <ul className="list-disc space-y-1 pl-5 text-yellow-900" aria-label="Warnings">
          {r.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
