import { Injectable } from '@nestjs/common';
import type { RenderedMail } from './templates';

export interface JobToRender {
  id: string;
  kind: string;
  appointmentId: string | null;
  createdAt: Date;
  facts: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** A job rendered into a message for one recipient. */
export interface Rendered {
  /** The mailbox it goes to, and what the outbox row records. */
  recipient: string;
  /** Several mailboxes instead (a unit's handlers): then `recipient` is only what the row records. */
  recipients?: string[];
  mail: RenderedMail;
  /**
   * The address is one a sender gave in confidence (kept sealed): the outbox
   * row does not record it, and it is blanked out of any error kept there.
   */
  confidentialRecipient?: boolean;
}

/**
 * What became of one job: a message, `null` when it no longer needs sending,
 * or (rejected) why it could not be rendered.
 */
export type RenderOutcome = PromiseSettledResult<Rendered | null>;

/**
 * Renders a batch of jobs of the kinds it registered for, one outcome per job
 * in the same order. It gets the whole batch so that it can load what the jobs
 * need in one query; one job that cannot be rendered must not take the others
 * with it (see `renderEach`).
 */
export type Renderer = (jobs: JobToRender[]) => Promise<RenderOutcome[]>;

/**
 * Renders each job with `render`, catching what each one throws (whatever it
 * throws). One job at a time, letting other work (such as the mail server's
 * answers) in between, so a batch does not hold up the event loop.
 */
export async function renderEach<T>(jobs: T[], render: (job: T) => Rendered | null | Promise<Rendered | null>): Promise<RenderOutcome[]> {
  const outcomes: RenderOutcome[] = [];
  for (const job of jobs) {
    try {
      outcomes.push({ status: 'fulfilled', value: await render(job) });
    } catch (reason) {
      outcomes.push({ status: 'rejected', reason });
    }
    await new Promise(setImmediate);
  }
  return outcomes;
}

/** A job of a kind no renderer registered for (e.g. planned by a newer version during a rolling update): worth retrying. */
export class NoRendererError extends Error {
  override name = 'NoRendererError';
}

/**
 * Who renders which kind of message. The libs that plan messages (booking,
 * later delivery) register here; notifications never depends on them.
 */
@Injectable()
export class OutboxRenderers {
  private readonly renderers = new Map<string, Renderer>();

  register(kinds: string[], renderer: Renderer): void {
    for (const kind of kinds) this.renderers.set(kind, renderer);
  }

  /** Renders jobs of any kinds, each renderer once with its jobs; outcomes in the order of `jobs`. */
  async renderAll(jobs: JobToRender[]): Promise<RenderOutcome[]> {
    // By renderer; jobs of a kind nobody renders, by kind.
    const groups = new Map<Renderer | string, number[]>();
    jobs.forEach((job, i) => {
      const key = this.renderers.get(job.kind) ?? job.kind;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const outcomes: RenderOutcome[] = new Array(jobs.length);
    await Promise.all(
      [...groups].map(async ([key, indexes]) => {
        const renderer = typeof key === 'string' ? undefined : key;
        const group = indexes.map((i) => jobs[i]);
        let rendered: RenderOutcome[];
        try {
          if (!renderer) throw new NoRendererError(`no renderer for outbox messages of kind ${group[0].kind}`);
          rendered = await renderer(group);
          if (rendered.length !== group.length) throw new Error(`renderer for ${group[0].kind} returned ${rendered.length} outcomes for ${group.length} jobs`);
        } catch (reason) {
          rendered = group.map(() => ({ status: 'rejected', reason }));
        }
        indexes.forEach((jobIndex, k) => (outcomes[jobIndex] = rendered[k]));
      }),
    );
    return outcomes;
  }
}
