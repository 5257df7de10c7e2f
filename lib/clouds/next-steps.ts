// What a CSP operator should do next, cloud by cloud, for the landing page: the first thing that
// stands between each cloud and a valid certificate, most urgent first. Pure: the page gives what
// it has read (the overview's compliance and which clouds have a credential).

export interface CloudProgress {
  slug: string;
  name: string;
  hasCredential: boolean;
  hasFinishedRun: boolean;
  /** The open attestation revision's state, if any. */
  openAttestation: string | null;
  manual: { verdict: string; expiresAt?: Date | null };
  /** The certifiable version's status and its first reason. */
  status: string;
  reason?: string;
}

export interface NextStep {
  slug: string;
  /** Lower is more urgent. */
  urgency: number;
  text: string;
  href: string;
  label: string;
}

const DAY = 86_400_000;

export function nextSteps(clouds: CloudProgress[], now: Date, limit = 6): NextStep[] {
  const out: NextStep[] = [];
  for (const c of clouds) {
    const page = `/clouds/${c.slug}`;
    if (!c.hasCredential) {
      out.push({
        slug: c.slug,
        urgency: 1,
        text: `${c.name} has no credential yet, so no check can run.`,
        href: `${page}/credential`,
        label: 'Add the credential',
      });
      continue;
    }
    if (c.openAttestation === 'changes_requested')
      out.push({
        slug: c.slug,
        urgency: 0,
        text: `The reviewer asked for changes to the attestation of ${c.name}.`,
        href: `${page}/attestations`,
        label: 'Read the comment and resubmit',
      });
    if (!c.hasFinishedRun)
      out.push({
        slug: c.slug,
        urgency: 2,
        text: `${c.name} has not been checked yet.`,
        href: page,
        label: 'Run the checks',
      });
    else if (c.status === 'FAIL')
      out.push({
        slug: c.slug,
        urgency: 1,
        text: `${c.name} fails scs-0116 v1${c.reason ? `: ${c.reason}` : '.'}`,
        href: page,
        label: 'See why',
      });
    if (c.openAttestation === 'draft')
      out.push({
        slug: c.slug,
        urgency: 3,
        text: `The attestation of ${c.name} is a draft: answer, attach evidence, sign and submit.`,
        href: `${page}/attestations`,
        label: 'Continue the attestation',
      });
    else if (!c.openAttestation && c.manual.verdict !== 'PASS')
      out.push({
        slug: c.slug,
        urgency: 3,
        text: `${c.name} needs an attestation of how the Master-KEK is protected (the manual testcase).`,
        href: `${page}/attestations`,
        label: 'Start the attestation',
      });
    else if (
      !c.openAttestation &&
      c.manual.verdict === 'PASS' &&
      c.manual.expiresAt &&
      c.manual.expiresAt.getTime() - now.getTime() < 14 * DAY
    )
      out.push({
        slug: c.slug,
        urgency: 2,
        text: `The attestation of ${c.name} expires on ${c.manual.expiresAt.toISOString().slice(0, 10)}.`,
        href: `${page}/attestations`,
        label: 'Renew it',
      });
  }
  return out.sort((a, b) => a.urgency - b.urgency).slice(0, limit);
}
