/**
 * The outbox scenario's raw baseline, run as its own process (as the CLI
 * is): nodemailer alone, pooled with the product's pool settings and the same
 * number of connections, sending one message's parts again and again to the
 * same sink, with a fresh Message-ID and recipient each time, two messages per
 * connection in flight. No database, no rendering. Prints `sent N in S s`.
 *
 *   node dist/bench/bench/raw-mail.js <spec.json>
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createTransport } from 'nodemailer';
import type { RawMailSpec } from './outbox';

async function main(file: string): Promise<void> {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as RawMailSpec;
  const transport = createTransport({
    url: spec.url,
    pool: true,
    maxConnections: spec.connections,
    maxMessages: 500,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  const send = (i: number) =>
    transport.sendMail({
      messageId: `<raw-${i}-${process.pid}@bench.localhost>`,
      date: new Date(),
      from: spec.from,
      to: `raw${i}@example.fi`,
      subject: spec.subject,
      text: spec.text,
      html: spec.html,
      ...(spec.calendar ? { icalEvent: { method: spec.calendar.method, filename: 'invite.ics', content: spec.calendar.content } } : {}),
    });
  // Two messages per connection in flight: every connection always has the next one ready, and a loaded machine does not
  // starve the connections' greetings behind thousands of queued messages.
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 2 * spec.connections }, async () => {
      while (next < spec.count) await send(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  console.log(`sent ${spec.count} in ${seconds.toFixed(2)} s`);
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
