// A cloud's compliance computed from the database: the latest automated result per testcase, the
// attestation decisions (the manual testcase), certificates, the last run. Pure evaluation rules are
// in verdict.ts; snapshot.ts stores the outcome so that lists need not recompute it per request.

import { now as clockNow } from '../clock';
import type { DecisionRow } from '../attestations/result';
import { certificateState, type CertificateState } from './certificates';
import {
  certificatesOf,
  decisionsOf,
  lastRuns,
  latestResults,
  manualInput,
  openAttestations,
  type CertificateRow,
  type LastRun,
} from './data';
import { HEADLINE_PROFILE } from './profiles';
import {
  evaluateAll,
  officialVerdict,
  type Evaluation,
  type ManualInput,
  type OfficialVerdict,
  type Status,
} from './verdict';

export interface CloudCompliance {
  cloud: {
    id: string;
    slug: string;
    name: string;
    public: boolean;
    archived: boolean;
    region: string;
    /** Whether the public pages show its results' messages (staff decide). */
    publicRunMessages: boolean;
    organization: { id: string; slug: string; name: string };
  };
  /** Every profile: the official versions of the day, then ours (profiles.ts). */
  evaluations: Evaluation[];
  /** The headline: the status of this dashboard's full profile scs-0116-v1, the basis of certificates. */
  status: Status;
  /** The official SCS verdict beside it (null: no official version of the day includes the key manager). */
  official: OfficialVerdict | null;
  manual: ManualInput;
  openAttestation: string | null;
  certificate: { state: CertificateState; current: CertificateRow | null; all: CertificateRow[] };
  lastRun: LastRun | null;
  schedule: string;
  nextRunAt: Date | null;
}

export type CloudRow = {
  id: string;
  slug: string;
  name: string;
  public: boolean;
  archivedAt: Date | null;
  region: string;
  publicRunMessages: boolean;
  schedule: string;
  nextRunAt: Date | null;
  organization: { id: string; slug: string; name: string };
};

export const cloudSelect = {
  id: true,
  slug: true,
  name: true,
  public: true,
  archivedAt: true,
  region: true,
  publicRunMessages: true,
  schedule: true,
  nextRunAt: true,
  organization: { select: { id: true, slug: true, name: true } },
} as const;

export function cloudPart(c: CloudRow): Pick<CloudCompliance, 'cloud' | 'schedule' | 'nextRunAt'> {
  return {
    cloud: {
      id: c.id,
      slug: c.slug,
      name: c.name,
      public: c.public,
      archived: !!c.archivedAt,
      region: c.region,
      publicRunMessages: c.publicRunMessages,
      organization: c.organization,
    },
    schedule: c.schedule,
    nextRunAt: c.nextRunAt,
  };
}

/** Evaluates many clouds with five queries in all, whatever their number; also returns the decisions read. */
export async function evaluateCloudsWithInputs(
  clouds: CloudRow[],
  at: Date = clockNow(),
): Promise<Array<{ compliance: CloudCompliance; decisions: DecisionRow[] }>> {
  const ids = clouds.map((c) => c.id);
  const [latest, decisions, certs, runs, open] = await Promise.all([
    latestResults(ids),
    decisionsOf(ids),
    certificatesOf(ids),
    lastRuns(ids),
    openAttestations(ids),
  ]);
  return clouds.map((c) => {
    const manual = manualInput(decisions.get(c.id) ?? [], at);
    const evaluations = evaluateAll(latest.get(c.id) ?? {}, manual, at);
    const all = certs.get(c.id) ?? [];
    const current = all.find((x) => x.standard === HEADLINE_PROFILE) ?? null;
    return {
      decisions: decisions.get(c.id) ?? [],
      compliance: {
        ...cloudPart(c),
        evaluations,
        status: evaluations.find((e) => e.standard === HEADLINE_PROFILE)!.status,
        official: officialVerdict(evaluations),
        manual,
        openAttestation: open.get(c.id) ?? null,
        certificate: { state: certificateState(current ?? undefined, at), current, all },
        lastRun: runs.get(c.id) ?? null,
      },
    };
  });
}

/** Evaluates many clouds from the database now (no stored snapshot involved). */
export async function evaluateClouds(clouds: CloudRow[], at: Date = clockNow()): Promise<CloudCompliance[]> {
  return (await evaluateCloudsWithInputs(clouds, at)).map((x) => x.compliance);
}
