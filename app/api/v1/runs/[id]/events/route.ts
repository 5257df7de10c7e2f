import { apiRoute } from '@/lib/next/route';
import { runSnapshot, type RunSnapshot } from '@/lib/runs';
import { subscribeRun } from '@/lib/runs/progress';
import { loadActor } from '@/lib/users';

export const dynamic = 'force-dynamic';

const TERMINAL = new Set(['finished', 'cancelled', 'interrupted']);

/**
 * Live progress as Server-Sent Events: one `snapshot` event now (so a reload picks up where the
 * run is) and one whenever the run changes; the stream ends when the run does. Every snapshot is
 * read through the policy again.
 */
export const GET = apiRoute<{ id: string }>(async (ctx, req, { id }) => {
  const first = await runSnapshot(ctx, id);
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let last = '';
      let closed = false;
      let pending: NodeJS.Timeout | null = null;
      const send = (s: RunSnapshot) => {
        const json = JSON.stringify(s);
        if (json === last || closed) return;
        last = json;
        controller.enqueue(encoder.encode(`event: snapshot\ndata: ${json}\n\n`));
        if (TERMINAL.has(s.status)) close();
      };
      const check = async () => {
        try {
          // The caller is reloaded for every snapshot: a deactivated user or a removed member
          // stops receiving progress at the next change, like at their next request.
          const actor = ctx.actor ? await loadActor(ctx.actor.id) : null;
          send(await runSnapshot({ ...ctx, actor }, id));
        } catch {
          close();
        }
      };
      const poll = setInterval(() => void check(), 3_000);
      const keepAlive = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(': keep-alive\n\n'));
      }, 15_000);
      let unsubscribe = () => {};
      function close() {
        if (closed) return;
        closed = true;
        clearInterval(poll);
        clearInterval(keepAlive);
        if (pending) clearTimeout(pending);
        unsubscribe();
        try {
          controller.close();
        } catch {
          /* closed by the client */
        }
      }
      cleanup = close;
      req.signal.addEventListener('abort', close);
      send(first);
      if (closed) return;
      unsubscribe = await subscribeRun(id, () => {
        if (pending) return;
        pending = setTimeout(() => {
          pending = null;
          void check();
        }, 100);
      });
      if (closed) unsubscribe();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
});
