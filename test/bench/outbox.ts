import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';

/** A local SMTP sink that only counts messages and their Message-IDs. */
export class SmtpSink {
  readonly messageIds = new Set<string>();
  received = 0;
  private server?: SMTPServer;

  async listen(port: number): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        let head = '';
        stream.on('data', (chunk: Buffer) => {
          if (head.length < 4096) head += chunk.toString('latin1');
        });
        stream.on('end', () => {
          this.received++;
          const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1];
          if (id) this.messageIds.add(id);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Leaves exactly `count` pending family confirmations of bookings made over
 * HTTP in the outbox and withdraws the rest (the raw baseline's jobs carry
 * stand-in secrets that no key opens).
 */
export async function keepPending(pool: Pool, count: number): Promise<number> {
  await pool.query(
    `UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND id NOT IN (
       SELECT id FROM outbox WHERE status = 'pending' AND kind = 'confirmation' AND message_id NOT LIKE '%@bench.localhost>'
        ORDER BY seq LIMIT $1)`,
    [count],
  );
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
  return rows[0].n;
}

/** Runs `npm run cli -- outbox:drain` against the bench database; returns the seconds it reports. */
export async function drainWithCli(root: string, env: NodeJS.ProcessEnv): Promise<{ seconds: number; output: string }> {
  const child = spawn(process.execPath, [join(root, 'dist/apps/cli/apps/cli/src/main.js'), 'outbox:drain'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const seconds = Number(/in ([\d.]+) s/.exec(output)?.[1]);
  if (code !== 0 || !Number.isFinite(seconds)) throw new Error(`outbox:drain failed (${code}): ${output.slice(-500)}`);
  return { seconds, output };
}
