import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { getCloud } from '@/lib/clouds';
import { getCredentials, vaultProviderName, PERSONAS, PERSONA_LABEL, type PersonaSlug } from '@/lib/credentials';
import { PageHeader, Card } from '@/components/ui/layout';
import { plural } from '@/lib/format';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { CredentialForm, TestConnectionForm } from '@/components/credentials/credential-form';
import { CredentialSummary, TestResult } from '@/components/credentials/credential-view';
import { deleteCredentialAction, setCredentialAction, testCredentialAction } from './actions';

export const metadata: Metadata = { title: 'Cloud credential' };

const PERSONA_HINT: Record<PersonaSlug, string> = {
  primary:
    'The credential the checks run with: a plain member of the project (admin or manager roles make the official checks ABORT).',
  reader: 'Optional: a user with only the reader role in the same project, for the "reader cannot write" check.',
  'other-project': 'Optional: a member of a second project, for the cross-project isolation check.',
};

export default async function CredentialPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ persona?: string; saved?: string }>;
}) {
  const { slug } = await params;
  const sp = await searchParams;
  const ctx = await pageContext(`/clouds/${slug}/credential`);
  const cloud = await orRefuse(getCloud(ctx, slug));
  const credentials = await orRefuse(getCredentials(ctx, slug));
  const resource = { type: 'cloud' as const, organizationId: cloud.organization.id };
  const canWrite = may(ctx, 'credential.write', resource);
  const canTest = may(ctx, 'credential.test', resource);
  const selected: PersonaSlug = (PERSONAS as readonly string[]).includes(sp.persona ?? '')
    ? (sp.persona as PersonaSlug)
    : 'primary';
  const fileProvider = may(ctx, 'vault.status', { type: 'global' }) && vaultProviderName() === 'file';
  const saved = (PERSONAS as readonly string[]).includes(sp.saved ?? '') ? credentials[sp.saved as PersonaSlug] : null;
  const savedTest = saved?.lastTest ?? null;
  return (
    <>
      <PageHeader
        title={`Credentials of ${cloud.name}`}
        breadcrumbs={[
          { href: '/clouds', label: 'Clouds' },
          { href: `/clouds/${cloud.slug}`, label: cloud.name },
        ]}
        description="Stored encrypted (envelope encryption, key-encryption key outside the database). Once saved, a secret is never shown again."
      />
      {saved && (
        <div
          role="status"
          data-testid="saved-banner"
          className={`mb-4 rounded-md border px-3 py-2 text-sm ${!savedTest?.ok ? 'border-red-300 bg-red-50 text-red-900' : savedTest.warnings.length ? 'border-yellow-300 bg-yellow-50 text-yellow-950' : 'border-green-300 bg-green-50 text-green-900'}`}
        >
          Saved the {PERSONA_LABEL[saved.persona]} (fingerprint {saved.fingerprint}) and tested it:{' '}
          {!savedTest
            ? 'no test result.'
            : !savedTest.ok
              ? `the connection test failed: ${savedTest.error ?? 'unknown error'}`
              : savedTest.warnings.length
                ? `authenticated, with ${plural(savedTest.warnings.length, 'problem')} to fix before the first run (below).`
                : 'authenticated, and the key manager answers in the cloud’s region. Ready for a run.'}{' '}
          <Link className="underline" href={`/clouds/${cloud.slug}`}>
            Back to {cloud.name}
          </Link>
        </div>
      )}
      {fileProvider && (
        <div
          role="note"
          className="mb-4 rounded-md border border-yellow-300 bg-yellow-50 px-3 py-2 text-sm text-yellow-900"
        >
          <strong>Key-encryption key in a plain file on this host.</strong> The vault runs with the <code>file</code>{' '}
          KEK provider: the key that protects every stored credential sits unencrypted on this machine, which is what
          scs-0116 says SHOULD NOT be done in production. Use <code>KEK_PROVIDER=env</code> (a secret injected by
          Kubernetes or a secret manager) or <code>KEK_PROVIDER=barbican</code> (the key held in an OpenStack key
          manager), then run <code>npm run vault -- rotate --to &lt;provider&gt;</code>. See docs/security.md.
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        {PERSONAS.map((p) => {
          const c = credentials[p];
          return (
            <Card
              key={p}
              className={`min-w-0 scroll-mt-4 ${p === 'primary' ? 'lg:col-span-2' : ''}`}
              id={p}
              testId={`credential-${p}`}
            >
              <h2 className="mb-1 font-semibold first-letter:uppercase">{PERSONA_LABEL[p]}</h2>
              <p className="mb-3 text-xs text-slate-600">{PERSONA_HINT[p]}</p>
              {c ? (
                <>
                  <CredentialSummary credential={c} />
                  <div className="mt-3 flex flex-wrap items-start gap-2">
                    {canTest && <TestConnectionForm action={testCredentialAction} slug={cloud.slug} persona={p} />}
                    {canWrite && (
                      <Link
                        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-100"
                        href={`/clouds/${cloud.slug}/credential?persona=${p}#set`}
                      >
                        Replace
                      </Link>
                    )}
                    {canWrite && (
                      <ConfirmForm
                        action={deleteCredentialAction}
                        fields={{ slug: cloud.slug, persona: p }}
                        label="Delete"
                        title={`Delete the ${PERSONA_LABEL[p]}?`}
                        body={
                          p === 'primary'
                            ? 'Checks of this cloud cannot run until a new credential is set. The deletion is recorded in the audit log.'
                            : 'The checks that need this persona are skipped until it is set again.'
                        }
                      />
                    )}
                  </div>
                  {c.lastTest && <TestResult result={c.lastTest} />}
                </>
              ) : (
                <p className="text-sm text-slate-700">
                  Not set.{' '}
                  {canWrite && (
                    <Link
                      className="text-blue-700 underline"
                      href={`/clouds/${cloud.slug}/credential?persona=${p}#set`}
                    >
                      Set it
                    </Link>
                  )}
                </p>
              )}
            </Card>
          );
        })}
      </div>
      {canWrite && (
        <Card className="mt-6 min-w-0" id="set">
          <h2 className="mb-1 font-semibold">
            {credentials[selected] ? 'Replace' : 'Set'} the {PERSONA_LABEL[selected]}
          </h2>
          <p className="mb-3 text-sm text-slate-600">
            Saving tests the credential at once: it signs in to Keystone and reports the roles, the project and the key
            manager the checks will see, with anything that would spoil a run.
          </p>
          <CredentialForm
            key={selected}
            action={setCredentialAction}
            slug={cloud.slug}
            persona={selected}
            personaLabel={PERSONA_LABEL[selected]}
            replacing={!!credentials[selected]}
            region={cloud.region}
          />
        </Card>
      )}
    </>
  );
}
