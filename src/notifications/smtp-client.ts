// A minimal SMTP client (RFC 5321) for the outbox: one message per connection, plain text in UTF-8.
// smtp://[user:pass@]host[:port][?from=addr] talks plain SMTP (a local relay); smtps:// uses implicit TLS
// (port 465). AUTH PLAIN is only sent over TLS, or to a relay on localhost. No STARTTLS, no attachments.
// Rule: header values never carry CR/LF (no header injection): the subject is an RFC 2047 encoded word
// and addresses are checked; the body is base64, so no line can start with a dot.
import net from 'node:net';
import tls from 'node:tls';
import crypto from 'node:crypto';

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

export function isPlainAddress(s: string): boolean {
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

/** RFC 2047 encoded word (base64, UTF-8), split so each word stays under 75 characters. */
export function encodeHeaderWord(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  const words: string[] = [];
  let chunk = '';
  for (const ch of clean) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** The full message (headers + base64 body) with CRLF line ends, ready for DATA. */
export function formatMessage(from: string, m: MailMessage): string {
  if (!isPlainAddress(m.to)) throw new Error('recipient is not a plain e-mail address');
  const body = Buffer.from(m.body.replace(/\r?\n/g, '\r\n'), 'utf8')
    .toString('base64')
    .replace(/.{1,76}/g, '$&\r\n')
    .replace(/\r\n$/, '');
  return [
    `From: ${from}`,
    `To: ${m.to}`,
    `Subject: ${encodeHeaderWord(m.subject)}`,
    `Date: ${m.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${crypto.randomUUID()}@${m.messageIdDomain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    body,
  ].join('\r\n');
}

/** Reads SMTP replies (multi-line "250-…" … "250 …") from a socket. */
class ReplyReader {
  private buffer = '';
  private waiting: { resolve: (r: { code: number; text: string }) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private lines: string[] = [];
  private pending: { code: number; text: string }[] = [];

  constructor(socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.drain();
    });
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('the SMTP server closed the connection')));
  }

  private fail(e: Error) {
    if (!this.failure) this.failure = e;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w.reject(e);
    }
  }

  private drain() {
    let i: number;
    while ((i = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, i).replace(/\r$/, '');
      this.buffer = this.buffer.slice(i + 1);
      this.lines.push(line);
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) {
        const text = this.lines.map((l) => l.slice(4)).join('\n');
        const code = Number(line.slice(0, 3));
        this.lines = [];
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          w.resolve({ code, text });
        } else this.pending.push({ code, text });
      }
    }
  }

  next(): Promise<{ code: number; text: string }> {
    const ready = this.pending.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }
}

function connect(s: SmtpSettings): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = s.secure
      ? tls.connect({ host: s.host, port: s.port, servername: net.isIP(s.host) ? undefined : s.host })
      : net.connect({ host: s.host, port: s.port });
    socket.setTimeout(s.timeoutMs, () => socket.destroy(new Error('the SMTP server did not answer in time')));
    socket.once(s.secure ? 'secureConnect' : 'connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const LOCAL = new Set(['localhost', '127.0.0.1', '::1']);

/** Sends one message; resolves when the server accepted it (250 after DATA), rejects with the reason otherwise. */
export async function sendMail(s: SmtpSettings, m: MailMessage): Promise<void> {
  const data = formatMessage(s.from, m);
  const socket = await connect(s);
  const reader = new ReplyReader(socket);
  const expect = async (codes: number[], what: string) => {
    const r = await reader.next();
    if (!codes.includes(r.code)) throw new Error(`SMTP ${what} refused: ${r.code} ${r.text}`.slice(0, 500));
    return r;
  };
  const send = (line: string) => socket.write(`${line}\r\n`);
  try {
    await expect([220], 'greeting');
    send(`EHLO ${s.clientName}`);
    await expect([250], 'EHLO');
    if (s.user !== null) {
      if (!s.secure && !LOCAL.has(s.host))
        throw new Error('SMTP credentials are only sent over smtps:// (TLS) or to localhost');
      send(`AUTH PLAIN ${Buffer.from(`\0${s.user}\0${s.password ?? ''}`, 'utf8').toString('base64')}`);
      await expect([235], 'AUTH');
    }
    send(`MAIL FROM:<${s.from}>`);
    await expect([250], 'MAIL FROM');
    send(`RCPT TO:<${m.to}>`);
    await expect([250, 251], 'RCPT TO');
    send('DATA');
    await expect([354], 'DATA');
    // Base64 body and encoded headers: no line starts with "."; dot-stuff anyway for safety.
    socket.write(`${data.replace(/\r\n\./g, '\r\n..')}\r\n.\r\n`);
    await expect([250], 'message');
    send('QUIT');
    await reader.next().catch(() => undefined);
  } finally {
    socket.destroy();
  }
}
