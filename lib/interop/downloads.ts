// A run's report downloads (GET /api/v1/runs/{id}/report): ours as JSON, and the report in the SCS format,
// plain (format=yaml) or signed (format=signed-yaml: "<armoured SSHSIG>&<YAML>", the bytes the official
// runner POSTs to a compliance monitor). Our runs are signed with the instance key; an imported run is the
// runner's own report and signature, exactly as they were uploaded.

import { db } from '../db';
import type { RequestContext } from '../context';
import { AppError } from '../errors';
import { getRun, jsonReport, scsReportYaml, type RunView } from '../runs';
import { instanceKey } from './signing-key';
import { SIGNED_YAML, SIGNATURE_NAMESPACE } from './upload';

export const REPORT_FORMATS = ['json', 'yaml', 'signed-yaml'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report text and its signature: ours, signed now (ed25519 is deterministic), or the upload's. */
export async function signedReportOf(run: RunView): Promise<{ signature: string; report: string }> {
  if (run.source === 'official-runner') {
    const upload = run.uploadId
      ? await db.reportUpload.findUnique({ where: { id: run.uploadId }, select: { signature: true, body: true } })
      : null;
    if (!upload) throw new AppError('gone', 'The uploaded report of this run is no longer kept.', 410);
    return { signature: upload.signature, report: upload.body };
  }
  if (run.status !== 'finished')
    throw new AppError('conflict', `This run is ${run.status}; only finished runs have a signed report.`, 409);
  const report = scsReportYaml(run);
  return { signature: (await instanceKey()).sign(Buffer.from(report, 'utf8'), SIGNATURE_NAMESPACE), report };
}

/** "<signature>&<report>": what curl --data-binary @report.yaml.sig --data-binary @report.yaml sends. */
export const signedBody = (s: { signature: string; report: string }) => `${s.signature}&${s.report}`;

export async function reportDownload(ctx: RequestContext, id: string, format: string | null): Promise<Response> {
  const f = (format ?? 'json') as ReportFormat;
  if (!REPORT_FORMATS.includes(f))
    throw new AppError('invalid_input', `format must be one of ${REPORT_FORMATS.join(', ')}.`, 422, {
      format: `One of ${REPORT_FORMATS.join(', ')}.`,
    });
  const run = await getRun(ctx, id, { evidence: f === 'json' });
  const name = `run-${run.cloud.slug}-${run.id.slice(0, 8)}`;
  const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (f === 'json')
    return new Response(JSON.stringify(jsonReport(run), null, 2), {
      headers: {
        ...headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}.json"`,
      },
    });
  if (f === 'yaml') {
    const text = run.source === 'official-runner' ? (await signedReportOf(run)).report : scsReportYaml(run);
    return new Response(text, {
      headers: {
        ...headers,
        'Content-Type': 'application/yaml; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}.yaml"`,
      },
    });
  }
  return new Response(signedBody(await signedReportOf(run)), {
    headers: {
      ...headers,
      'Content-Type': SIGNED_YAML,
      'Content-Disposition': `attachment; filename="${name}.signed-yaml"`,
    },
  });
}
