import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import type { SlotQueue } from './booking';
import type { HttpClient } from './http-client';
import { errorCode } from './booking';
import { nameOf } from '../support/forms-examples';

/** A local SMTP sink that counts messages, their Message-IDs and bytes, and keeps the first message whole. */
export class SmtpSink {
  readonly messageIds = new Set<string>();
  received = 0;
  bytes = 0;
  /** The first message received, as sent (headers and body). */
  sample?: string;
  private server?: SMTPServer;

  async listen(port: number): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        let head = '';
        let size = 0;
        const whole: Buffer[] | undefined = this.sample === undefined ? [] : undefined;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          whole?.push(chunk);
          if (head.length < 4096) head += chunk.toString('latin1');
        });
        stream.on('end', () => {
          this.received++;
          this.bytes += size;
          if (whole && this.sample === undefined) this.sample = Buffer.concat(whole).toString('utf8');
          const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1];
          if (id) this.messageIds.add(id);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  /** What was received since the last call (the sample stays). */
  take(): { received: number; bytes: number; ids: Set<string> } {
    const taken = { received: this.received, bytes: this.bytes, ids: new Set(this.messageIds) };
    this.messageIds.clear();
    this.received = 0;
    this.bytes = 0;
    return taken;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Books `count` appointments over HTTP, each family with its own address (in
 * Finnish, so the messages are of one size and the raw baseline's copy is too),
 * then withdraws every other pending message, so the outbox holds exactly
 * the new bookings' confirmations. Returns how many are pending.
 */
export async function seedConfirmations(client: HttpClient, pool: Pool, queue: SlotQueue, count: number, concurrency: number): Promise<number> {
  const ids: string[] = [];
  const failures = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const slotId = queue.take();
      if (!slotId) throw new Error('ran out of free booking slots; seed more');
      const res = await client.post('/api/v1/appointments', {
        slotId,
        language: 'fi',
        contact: { name: `Perhe ${nameOf(n)}`, email: `perhe${n}@example.fi` },
      });
      if (res.status === 201) {
        ids.push((JSON.parse(res.body) as { appointment: { id: string } }).appointment.id);
      } else {
        const why = `HTTP ${res.status} ${errorCode(res.body)}`;
        failures.set(why, (failures.get(why) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failures.size) throw new Error(`seeding the outbox: ${[...failures].map(([why, n]) => `${n} x ${why}`).join('; ')}`);
  await pool.query(
    `UPDATE outbox SET status = 'cancelled', secrets = NULL
      WHERE status = 'pending' AND NOT (kind = 'confirmation' AND appointment_id = ANY($1::uuid[]))`,
    [ids],
  );
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
  return rows[0].n;
}

/**
 * Runs a built script to its end; returns the seconds it reports (`… in 1.23 s`). With BENCH_CPU_PROF=<dir> the
 * script writes a V8 CPU profile there (open it in Chrome DevTools or speedscope).
 */
async function runTimed(script: string, args: string[], root: string, env: NodeJS.ProcessEnv): Promise<{ seconds: number; output: string }> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, script, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const seconds = Number(/in ([\d.]+) s/.exec(output)?.[1]);
  if (code !== 0 || !Number.isFinite(seconds)) throw new Error(`${args[0] ?? script} failed (${code}): ${output.slice(-500)}`);
  return { seconds, output };
}

/** Runs `npm run cli -- outbox:drain` against the bench database; returns the seconds it reports. */
export function drainWithCli(root: string, env: NodeJS.ProcessEnv): Promise<{ seconds: number; output: string }> {
  return runTimed(join(root, 'dist/apps/cli/apps/cli/src/main.js'), ['outbox:drain'], root, env);
}

/** What the raw baseline sends: one message's parts, sent `count` times with fresh Message-IDs and recipients. */
export interface RawMailSpec {
  url: string;
  connections: number;
  count: number;
  from: string;
  subject: string;
  text: string;
  html: string;
  calendar?: { method: string; content: string };
}

/** The parts of a message the dispatcher sent, to send the same kind of message raw. */
export async function partsOf(raw: string): Promise<Omit<RawMailSpec, 'url' | 'connections' | 'count'>> {
  const parsed = await simpleParser(raw);
  const calendar = parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  const method = calendar && /METHOD:(\w+)/.exec(calendar.content.toString('utf8'))?.[1];
  return {
    from: parsed.from?.text ?? 'bench@example.fi',
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    ...(calendar && method ? { calendar: { method, content: calendar.content.toString('utf8') } } : {}),
  };
}

/** The raw baseline in its own process, as the CLI runs in its own: nodemailer alone, pooled, no database. */
export async function sendRaw(root: string, dir: string, spec: RawMailSpec): Promise<{ seconds: number; output: string }> {
  const file = join(dir, 'raw-mail.json');
  await writeFile(file, JSON.stringify(spec));
  return runTimed(join(root, 'dist/bench/bench/raw-mail.js'), [file], root, process.env);
}
