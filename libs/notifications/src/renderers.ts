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
export interface RenderedJob {
  recipient: string;
  mail: RenderedMail;
  /**
   * The address is one a sender gave in confidence (kept sealed): the outbox
   * row does not record it, and it is blanked out of any error kept there.
   */
  confidentialRecipient?: boolean;
}

/** Renders a job into a message, or null when it no longer needs sending. */
export type Renderer = (job: JobToRender) => Promise<RenderedJob | null>;

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

  render(job: JobToRender): ReturnType<Renderer> {
    const renderer = this.renderers.get(job.kind);
    if (!renderer) throw new Error(`no renderer for outbox messages of kind ${job.kind}`);
    return renderer(job);
  }
}
