import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port';

export interface ReceivedMail {
  raw: string;
  parsed: ParsedMail;
}

/** A real SMTP server on loopback that keeps what it receives. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Recipients refused with 550 at RCPT TO, the address named in the reply as real servers do. */
  readonly refused = new Set<string>();
  private server?: SMTPServer;

  private constructor(readonly port: number) {}

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort());
    await sink.listen();
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (!this.refused.has(address.address)) return callback();
        const error = new Error(`<${address.address}>: Recipient address rejected: mailbox unavailable`) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              this.received.push({ raw, parsed });
              callback();
            })
            .catch(callback);
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.parsed.to && JSON.stringify(m.parsed.to).includes(address));
  }
}

/** The calendar part of a message as unfolded iCalendar property lines. */
export function calendarOf(mail: ReceivedMail): Record<string, string> {
  const part = mail.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  if (!part) throw new Error('no calendar part');
  const text = part.content.toString('utf8').replace(/\r?\n[ \t]/g, '');
  if (!text.startsWith('BEGIN:VCALENDAR') || !text.trim().endsWith('END:VCALENDAR')) throw new Error('not an iCalendar object');
  const props: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Z-]+)(;[^:]*)?:(.*)$/.exec(line);
    if (match && !(match[1] in props)) props[match[1]] = match[3];
  }
  return props;
}
