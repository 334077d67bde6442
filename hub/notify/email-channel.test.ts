import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { describe, it, expect, afterEach } from 'vitest';
import { channelContract, testItem, type ChannelHarness } from './channel-contract.js';
import { emailChannel, renderEmail } from './email-channel.js';

interface Mail {
  readonly headers: Map<string, string>;
  readonly body: string;
  readonly to: string[];
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= / ?B?), as nodemailer writes non-ASCII headers. */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

function parseMail(raw: string, to: string[]): Mail {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  // quoted-printable soft line breaks and escapes in the body
  const body = rest.join('\n\n').replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
  return { headers, body, to };
}

/** A real SMTP server on a free port; `reject` answers RCPT TO with that code. */
async function smtp(reject?: number): Promise<{ url: string; mails: Mail[]; server: SMTPServer }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (reject) {
        const err = new Error(reject >= 500 ? 'mailbox unavailable' : 'try again later') as Error & { responseCode: number };
        err.responseCode = reject;
        callback(err);
      } else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, server };
}

const close = (server: SMTPServer) => new Promise<void>((r) => server.close(() => r()));

channelContract('email', async (): Promise<ChannelHarness> => {
  const s = await smtp();
  const channel = emailChannel({ url: s.url, from: 'RPM alerts <alerts@rpm.example.org>', timeoutMs: 2000 });
  let up = true;
  return {
    channel,
    target: { to: ['nurse-on-duty@example.org'] },
    received: () =>
      Promise.resolve(
        s.mails.map((m) => {
          const ref = /Reference: (\S+) revision (\d+)/.exec(m.body);
          const subject = m.headers.get('subject') ?? '';
          return {
            notificationId: m.headers.get('x-rpm-notification-id') ?? '',
            alert: { id: ref?.[1] ?? '', revision: Number(ref?.[2]), severity: (/^\[(\w+)\]/.exec(subject)?.[1] ?? '').toLowerCase() as 'high', summary: subject.replace(/^\[\w+\] [^:]+: /, '') },
          };
        }),
      ),
    breakReceiver: async () => {
      up = false;
      await close(s.server);
    },
    close: async () => {
      channel.close();
      if (up) await close(s.server);
    },
  };
});

describe('e-mail channel', () => {
  const servers: SMTPServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await close(s);
  });

  it('mails every address, with the summary and a link but no patient id in subject or body', async () => {
    const s = await smtp();
    servers.push(s.server);
    const channel = emailChannel({ url: s.url, from: 'alerts@rpm.example.org' });
    const item = testItem('email', { to: ['a@example.org', 'b@example.org'] }, { summary: 'Temperature 38.4 °C (> 37.8 °C) at 07:55' });
    expect((await channel.send(item)).outcome).toBe('delivered');
    channel.close();
    const [mail] = s.mails;
    expect(mail!.to).toEqual(['a@example.org', 'b@example.org']);
    expect(mail!.headers.get('subject')).toBe('[HIGH] New alert: Temperature 38.4 °C (> 37.8 °C) at 07:55');
    expect(mail!.body).toContain(`Open the alert: https://dashboard.example.org/alerts/${item.alertId}`);
    expect(`${mail!.headers.get('subject')}\n${mail!.body}`).not.toContain('p-1001');
  });

  it.each([
    [550, 'failed'],
    [451, 'retry'],
  ] as const)('a server that answers %i: %s', async (code, outcome) => {
    const s = await smtp(code);
    servers.push(s.server);
    const channel = emailChannel({ url: s.url, from: 'alerts@rpm.example.org' });
    const result = await channel.send(testItem('email', { to: ['x@example.org'] }));
    channel.close();
    expect(result).toMatchObject({ outcome, statusCode: code });
  });

  it('renders an escalation with the tier that is paged and keeps the subject on one line', () => {
    const item = testItem('email', { to: ['x@example.org'] }, { summary: 'line one\nline two' });
    const mail = renderEmail({ ...item.payload, reason: 'escalated', tier: 2, tierName: 'team lead' });
    expect(mail.subject).toBe('[HIGH] Escalated: nobody acknowledged: line one line two');
    expect(mail.text).toContain('(tier 2: team lead)');
  });
});
