// Sending one outbox e-mail by SMTP. nodemailer speaks the protocol (EHLO, AUTH, MAIL/RCPT/DATA, MIME,
// RFC 2047 headers, dot-stuffing); the rules stay here:
// - SMTP_URL is smtp://[user:pass@]host[:port][?from=addr] (a relay, plain SMTP: no STARTTLS) or smtps://
//   (implicit TLS, port 465); anything else stops start-up with a readable message.
// - Credentials are only sent over TLS, or to a relay on localhost.
// - No header injection: the recipient and sender must be plain addresses, and CR/LF in the subject
//   become spaces. Plain text in UTF-8, base64 (subject included), one connection per message.
// - A refusal is reported with the server's answer ("SMTP RCPT TO refused: 550 …"), which the outbox stores.
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
  /** Name sent in EHLO. */
  clientName: string;
  timeoutMs: number;
}

export interface MailMessage {
  to: string;
  subject: string;
  body: string;
  date: Date;
  messageIdDomain: string;
}

const ADDRESS = /^[^\s@<>"(),;:\\[\]]+@[^\s@<>"(),;:\\[\]]+$/;

function isPlainAddress(s: string): boolean {
  return ADDRESS.test(s) && !/[\r\n]/.test(s);
}

/** Parses SMTP_URL; throws a readable Error for anything it does not support. */
export function parseSmtpUrl(url: string, fallbackFrom: string): SmtpSettings {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('SMTP_URL must look like smtp://host:25 or smtps://user:password@host:465');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const secure = u.protocol === 'smtps:';
  const from = u.searchParams.get('from') ?? fallbackFrom;
  if (!isPlainAddress(from)) throw new Error('the sender address (?from=) is not a plain e-mail address');
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 25,
    secure,
    user: u.username ? decodeURIComponent(u.username) : null,
    password: u.password ? decodeURIComponent(u.password) : null,
    from,
    clientName: 'openbanking-portal',
    timeoutMs: 15_000,
  };
}

const LOCAL = new Set(['localhost', '127.0.0.1', '::1']);

/** Sends one message; resolves when the server accepted it, rejects with the reason otherwise. */
export async function sendMail(s: SmtpSettings, m: MailMessage): Promise<void> {
  if (!isPlainAddress(m.to)) throw new Error('recipient is not a plain e-mail address');
  if (s.user !== null && !s.secure && !LOCAL.has(s.host))
    throw new Error('SMTP credentials are only sent over smtps:// (TLS) or to localhost');
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    ignoreTLS: !s.secure,
    auth: s.user === null ? undefined : { user: s.user, pass: s.password ?? '' },
    name: s.clientName,
    connectionTimeout: s.timeoutMs,
    greetingTimeout: s.timeoutMs,
    socketTimeout: s.timeoutMs,
  });
  try {
    await transport.sendMail({
      from: s.from,
      to: m.to,
      subject: m.subject.replace(/[\r\n]+/g, ' '),
      text: m.body.replace(/\r?\n/g, '\r\n'), // canonical text: CRLF line ends
      date: m.date,
      messageId: `<${crypto.randomUUID()}@${m.messageIdDomain}>`,
      textEncoding: 'base64',
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  } catch (err) {
    const e = err as { command?: string; response?: string; message?: string };
    if (e.command && e.response && e.command !== 'API')
      throw new Error(`SMTP ${e.command} refused: ${e.response}`.slice(0, 500));
    throw err;
  } finally {
    transport.close();
  }
}
