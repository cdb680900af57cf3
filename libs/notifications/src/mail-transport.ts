import { Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';

export interface OutgoingMail {
  messageId: string;
  date: Date;
  from: string;
  /** Each one mailbox, exactly as stored. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

/** Where e-mail goes: SMTP in production, `.eml` files for a newcomer. A port, because there is real variance. */
export abstract class MailTransport {
  abstract send(mail: OutgoingMail): Promise<void>;
  close(): void {}
}

function toNodemailer(mail: OutgoingMail) {
  return {
    messageId: mail.messageId,
    date: mail.date,
    from: mail.from,
    // Exactly the stored addresses, each as one mailbox: as a string, nodemailer would parse it as an address list, so
    // "a@x.fi, b@y.fi" would reach two people and "a b@x.fi" someone else. Anything but one address is refused.
    to: mail.to.map((address) => ({ name: '', address })),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, filename: 'invite.ics', content: mail.calendar.content } } : {}),
  };
}

export class SmtpMailTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string, connections: number) {
    super();
    // Pooled connections: one SMTP session carries many messages instead of a handshake per message.
    this.transporter = createTransport({
      url,
      pool: true,
      maxConnections: connections,
      maxMessages: 500,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail(toNodemailer(mail));
  }

  override close(): void {
    this.transporter.close();
  }
}

/** Writes each message as an `.eml` file and logs its path (never its content or recipient). */
export class FileMailTransport extends MailTransport {
  private readonly logger = new Logger('Mail');
  private readonly transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly dir: string) {
    super();
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.transporter.sendMail(toNodemailer(mail))) as unknown as { message: Buffer };
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${mail.messageId.replace(/[<>]/g, '').replace(/[^\w.@-]/g, '_')}.eml`);
    await writeFile(file, info.message);
    this.logger.log(`mail ${mail.messageId} written to ${file}`);
  }
}
