// Real receivers on loopback for notification tests: an SMTP server (the smtp-server package) and an
// HTTP webhook receiver, both on ephemeral ports.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

export interface SmtpReceiver {
  url: string;
  mails: ReceivedMail[];
  /** Answer the next n RCPT TO commands for this address with 451 (a temporary failure). */
  rejectNext(n: number, address: string): void;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const rejectsLeft = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      const to = address.address.toLowerCase();
      const left = rejectsLeft.get(to) ?? 0;
      if (left > 0) {
        rejectsLeft.set(to, left - 1);
        const e = new Error('try again later') as Error & { responseCode: number };
        e.responseCode = 451;
        return cb(e);
      }
      cb();
    },
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (d) => {
        data += String(d);
      });
      stream.on('end', () => {
        mails.push({
          from: String(session.envelope.mailFrom && session.envelope.mailFrom.address),
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    mails,
    rejectNext: (n, address) => {
      rejectsLeft.set(address.toLowerCase(), n);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface ReceivedHook {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  hooks: ReceivedHook[];
  close(): Promise<void>;
}

/** An HTTP receiver; `answer` decides each request's status (and may set headers). */
export async function startWebhookReceiver(
  answer: (req: { headers: http.IncomingHttpHeaders; body: string }, res: http.ServerResponse) => number = () => 204,
): Promise<WebhookReceiver> {
  const hooks: ReceivedHook[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => {
      const status = answer({ headers: req.headers, body }, res);
      hooks.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hooks,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
