// E-mail over SMTP (nodemailer). SMTP_URL (smtp://user:pass@host:port or smtps://...) and
// SMTP_FROM configure it; without SMTP_URL e-mail deliveries are held, and the delivery log and the
// notification settings say so (lib/notify/dispatcher.ts).

import nodemailer, { type Transporter } from 'nodemailer';
import { config } from '../config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

const g = globalThis as unknown as { scsMailer?: { url: string; transport: Transporter } };

/** From the configuration (lib/config.ts), or from the given variables (tests). */
export function smtpConfigured(env?: Record<string, string | undefined>): boolean {
  return !!(env ? env.SMTP_URL : config().SMTP_URL);
}

function transport(): Transporter {
  const url = config().SMTP_URL;
  if (!url) throw new Error('SMTP is not configured (SMTP_URL)');
  if (!g.scsMailer || g.scsMailer.url !== url) {
    g.scsMailer?.transport.close();
    g.scsMailer = {
      url,
      transport: nodemailer.createTransport(url, {
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      }),
    };
  }
  return g.scsMailer.transport;
}

export async function sendMail(mail: Mail): Promise<void> {
  const from = config().SMTP_FROM;
  try {
    await transport().sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
  } catch (err) {
    // nodemailer's messages can carry the SMTP URL; keep only what explains the failure.
    const e = err as { code?: string; responseCode?: number; response?: string };
    throw new Error(
      `SMTP delivery failed${e.code ? ` (${e.code}${e.responseCode ? ` ${e.responseCode}` : ''})` : ''}${e.response ? `: ${String(e.response).slice(0, 200)}` : ''}`,
    );
  }
}
