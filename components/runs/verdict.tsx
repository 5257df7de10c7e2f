import { Tag } from '@/components/ui/layout';
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

export function RunStatusTag({ status }: { status: string }) {
  return <Tag tone={STATUS_TONE[status as keyof typeof STATUS_TONE] ?? 'slate'}>{status}</Tag>;
}
