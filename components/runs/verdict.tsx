import { Tag } from '@/components/ui/layout';

const TONE = { PASS: 'green', FAIL: 'red', ABORT: 'yellow', MISSING: 'slate' } as const;
const STATUS_TONE = {
  queued: 'slate',
  running: 'blue',
  finished: 'green',
  cancelled: 'yellow',
  interrupted: 'red',
} as const;

export function VerdictTag({ verdict }: { verdict: string }) {
  return <Tag tone={TONE[verdict as keyof typeof TONE] ?? 'slate'}>{verdict}</Tag>;
}

export function RunStatusTag({ status }: { status: string }) {
  return <Tag tone={STATUS_TONE[status as keyof typeof STATUS_TONE] ?? 'slate'}>{status}</Tag>;
}
