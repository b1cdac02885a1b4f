import t from 'tap';
import net from 'node:net';
import { build } from '../helpers/build';
import { parseSmtpUrl, sendMail } from '../../src/notifications/smtp-client';

interface FakeServer {
  port: number;
  received: { from: string; to: string; data: string; auth: string | null }[];
  close(): Promise<void>;
}

/** A tiny SMTP server speaking just enough of RFC 5321; `refuse` answers that command with 550. */
async function fakeSmtp(opts: { refuse?: 'RCPT' | 'MAIL'; host?: string } = {}): Promise<FakeServer> {
  const received: FakeServer['received'] = [];
  const server = net.createServer((socket) => {
    let buf = '';
    let inData = false;
    let current = { from: '', to: '', data: '', auth: null as string | null };
    socket.write('220 fake.example ESMTP\r\n');
    socket.on('data', (d) => {
      buf += d.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.data = buf.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
          buf = buf.slice(end + 5);
          inData = false;
          received.push(current);
          current = { from: '', to: '', data: '', auth: null };
          socket.write('250 2.0.0 queued\r\n');
          continue;
        }
        const i = buf.indexOf('\r\n');
        if (i < 0) return;
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (line.startsWith('EHLO')) socket.write('250-fake.example\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n');
        else if (line.startsWith('AUTH PLAIN ')) {
          current.auth = Buffer.from(line.slice(11), 'base64').toString('utf8');
          socket.write('235 ok\r\n');
        } else if (line.startsWith('MAIL FROM:')) {
          if (opts.refuse === 'MAIL') socket.write('550 sender refused\r\n');
          else {
            current.from = line.slice(10);
            socket.write('250 ok\r\n');
          }
        } else if (line.startsWith('RCPT TO:')) {
          if (opts.refuse === 'RCPT') socket.write('550 5.1.1 no such user\r\n');
          else {
            current.to = line.slice(8);
            socket.write('250 ok\r\n');
          }
        } else if (line === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (line === 'QUIT') {
          socket.write('221 bye\r\n');
          socket.end();
        } else socket.write('502 unknown\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, opts.host ?? '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, received, close: () => new Promise((r) => server.close(() => r())) };
}

function decodeBody(data: string): string {
  const [, body] = data.split('\r\n\r\n');
  return Buffer.from(body!.replace(/\r\n/g, ''), 'base64').toString('utf8');
}

t.test('an e-mail is sent by SMTP with a UTF-8 subject and body', async (t) => {
  const server = await fakeSmtp();
  t.teardown(() => server.close());
  const settings = parseSmtpUrl(`smtp://relay:secret@localhost:${server.port}?from=portal@bank.example`, 'x@y.example');
  await sendMail(settings, {
    to: 'owner@fin.example',
    subject: '[오픈뱅킹 포털] 보완 요청',
    body: '첫 줄\n.둘째 줄',
    date: new Date('2026-11-02T01:00:00Z'),
    messageIdDomain: 'portal.example',
  });
  t.equal(server.received.length, 1);
  const m = server.received[0]!;
  t.equal(m.from, '<portal@bank.example>');
  t.equal(m.to, '<owner@fin.example>');
  t.equal(m.auth, '\0relay\0secret', 'AUTH PLAIN to a localhost relay');
  t.match(m.data, 'Subject: =?UTF-8?B?');
  t.match(m.data, 'Content-Type: text/plain; charset=utf-8');
  t.equal(decodeBody(m.data), '첫 줄\r\n.둘째 줄', 'the body survives, dots included');
});

t.test("a refused recipient is reported with the server's answer", async (t) => {
  const server = await fakeSmtp({ refuse: 'RCPT' });
  t.teardown(() => server.close());
  const settings = parseSmtpUrl(`smtp://127.0.0.1:${server.port}`, 'portal@bank.example');
  await t.rejects(
    sendMail(settings, {
      to: 'nobody@fin.example',
      subject: 's',
      body: 'b',
      date: new Date(),
      messageIdDomain: 'p.example',
    }),
    /RCPT TO refused: 550 5\.1\.1 no such user/,
  );
});

t.test('header values cannot be injected and a malformed SMTP_URL is refused', async (t) => {
  const server = await fakeSmtp();
  t.teardown(() => server.close());
  const settings = parseSmtpUrl(`smtp://127.0.0.1:${server.port}`, 'a@b.example');
  const mail = { body: 'b', date: new Date(), messageIdDomain: 'p.example' };
  await t.rejects(
    sendMail(settings, { ...mail, to: 'x@y.example\r\nBcc: evil@z.example', subject: 's' }),
    /recipient/,
    'a recipient with a line break is refused before connecting',
  );
  t.equal(server.received.length, 0);
  await sendMail(settings, { ...mail, to: 'x@y.example', subject: 'hello\r\nBcc: evil@z.example' });
  await sendMail(settings, { ...mail, to: 'x@y.example', subject: '가'.repeat(60) });
  const [injected, long] = server.received.map((m) => m.data.split('\r\n\r\n')[0]!);
  t.notMatch(injected, /\r\nBcc/i, 'a line break in the subject does not start a header');
  const subject = long!.slice(long!.indexOf('Subject: ')).split(/\r\n(?! )/)[0]!;
  t.match(subject, /^Subject: =\?UTF-8\?B\?/, 'a Korean subject is sent as RFC 2047 encoded words');
  t.ok(
    subject.split('\r\n').every((line) => line.length <= 78),
    'folded so no header line is longer than 78 characters',
  );
  t.throws(() => parseSmtpUrl('http://x', 'a@b.example'), /smtp:\/\//);
  t.throws(() => parseSmtpUrl('smtp://host?from=not-an-address', 'a@b.example'), /sender/);
  t.equal(parseSmtpUrl('smtps://u:p@mail.example', 'a@b.example').port, 465);
});

t.test('credentials are never sent in clear to a relay that is not on localhost', async (t) => {
  const server = await fakeSmtp({ host: '127.0.0.2' }); // loopback, but not one of the names treated as local
  t.teardown(() => server.close());
  const settings = parseSmtpUrl(`smtp://user:secret@127.0.0.2:${server.port}`, 'a@b.example');
  await t.rejects(
    sendMail(settings, { to: 'x@y.example', subject: 's', body: 'b', date: new Date(), messageIdDomain: 'p' }),
    /only sent over smtps/,
  );
  t.equal(server.received.length, 0);
});

t.test('with SMTP_URL set, pending outbox e-mails are delivered once and failures are recorded', async (t) => {
  const server = await fakeSmtp();
  t.teardown(() => server.close());
  const app = await build(t, { config: { smtpUrl: `smtp://127.0.0.1:${server.port}?from=portal@bank.example` } });
  await app.services.accounts.createUserDirect({
    email: 'rev1@staff.example',
    name: 'r1',
    password: 'staff-password-1',
    staffRole: 'reviewer',
  });
  await app.services.accounts.createUserDirect({
    email: 'rev2@staff.example',
    name: 'r2',
    password: 'staff-password-1',
    staffRole: 'reviewer',
  });
  await app.services.notifications.notify(
    { staffRole: 'reviewer' },
    { messageKey: 'notifications.messages.live', params: { reference: 'OB-2026-000001' }, link: '/staff' },
  );
  t.same(
    (await app.db('email_outbox')).map((e) => e.status),
    ['pending', 'pending'],
  );

  const [first, second] = await Promise.all([
    app.services.notifications.deliverPending(),
    app.services.notifications.deliverPending(),
  ]);
  t.equal(first!.sent + second!.sent, 2, 'two deliveries at once still send each e-mail once');
  t.equal(server.received.length, 2);
  const rows = await app.db('email_outbox');
  t.ok(
    rows.every((r) => r.status === 'sent' && r.sent_at),
    'marked sent with a time',
  );
  t.match(decodeBody(server.received[0]!.data), 'http://localhost:3000/staff');

  await server.close();
  await app.services.notifications.notify(
    { staffRole: 'reviewer' },
    { messageKey: 'notifications.messages.live', params: { reference: 'OB-2026-000002' } },
  );
  const res = await app.services.notifications.deliverPending();
  t.same(res, { sent: 0, failed: 2 }, 'a server that is down fails the e-mails');
  const failed = await app.db('email_outbox').where({ status: 'failed' });
  t.equal(failed.length, 2);
  t.ok(
    failed.every((r) => r.error && r.error.length > 0),
    'with the reason',
  );
});

t.test('without SMTP_URL nothing is sent and e-mails say why', async (t) => {
  const app = await build(t);
  await app.services.accounts.createUserDirect({
    email: 'rev1@staff.example',
    name: 'r1',
    password: 'staff-password-1',
    staffRole: 'reviewer',
  });
  await app.services.notifications.notify(
    { staffRole: 'reviewer' },
    { messageKey: 'notifications.messages.live', params: { reference: 'X' } },
  );
  t.same(await app.services.notifications.deliverPending(), { sent: 0, failed: 0 });
  t.same(
    (await app.db('email_outbox')).map((e) => e.status),
    ['not_sent: SMTP not configured'],
  );
});
