import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port';

export interface ReceivedMail {
  raw: string;
  parsed: ParsedMail;
}

export interface SinkOptions {
  /** Recipients refused at RCPT TO with `550 5.1.1 <address>: Recipient address rejected`. */
  reject?: string[];
  /** Runs before each message is accepted (a slow server, something that happens meanwhile); its errors reject the message. */
  beforeAccept?: (mail: ReceivedMail) => Promise<void> | void;
}

/** A real SMTP server on loopback that keeps what it receives. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Recipients refused with 550 at RCPT TO (from `options.reject`, and any added later), the address named in the reply as real servers do. */
  readonly refused = new Set<string>();
  private server?: SMTPServer;

  private constructor(
    readonly port: number,
    readonly options: SinkOptions,
  ) {}

  static async start(options: SinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort(), options);
    for (const address of options.reject ?? []) sink.refused.add(address);
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
        callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), { responseCode: 550 }));
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then(async (parsed) => {
              await this.options.beforeAccept?.({ raw, parsed });
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

  /** How many times each Message-ID arrived. */
  countByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.received) counts.set(m.parsed.messageId ?? '', (counts.get(m.parsed.messageId ?? '') ?? 0) + 1);
    return counts;
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
