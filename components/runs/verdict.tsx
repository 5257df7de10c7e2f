import { Tag, tagHtml } from '@/components/ui/layout';
import type { Html } from '@/lib/html';
import { StatusTag } from '@/components/compliance/status';
const STATUS_TONE = {
  queued: 'slate',
  running: 'blue',
  finished: 'green',
  cancelled: 'yellow',
  interrupted: 'red',
} as const;

/** A result's verdict in the one word and colour table (lib/compliance/presentation.ts). */
export function VerdictTag({ verdict }: { verdict: string }) {
  return <StatusTag status={verdict} />;
}

const runTone = (status: string) => STATUS_TONE[status as keyof typeof STATUS_TONE] ?? 'slate';

export function RunStatusTag({ status }: { status: string }) {
  return <Tag tone={runTone(status)}>{status}</Tag>;
}

/** RunStatusTag as an HTML string (components/compliance/timeline-html.ts). */
export function runStatusTagHtml(status: string): Html {
  return tagHtml(status, runTone(status));
}
