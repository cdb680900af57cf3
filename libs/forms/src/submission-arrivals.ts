import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Priority, Purpose } from './form-definition';

/** A public submission just stored: its clear metadata, never its answers. */
export interface ArrivedSubmission {
  id: string;
  reference: string;
  formId: string;
  formVersion: number;
  purpose: Purpose;
  unitId: string;
  priority: Priority;
  submittedAt: Date;
}

/** Runs in the transaction that stores the submission: if it fails, nothing is stored. */
export type ArrivalListener = (tx: EntityManager, arrived: ArrivedSubmission) => Promise<void>;

/**
 * Who is told when a public submission arrives. Libs built on forms (the
 * delivery lib plans the unit's notices) listen here; forms never depends
 * on them.
 */
@Injectable()
export class SubmissionArrivals {
  private readonly listeners: ArrivalListener[] = [];

  listen(listener: ArrivalListener): void {
    this.listeners.push(listener);
  }

  async announce(tx: EntityManager, arrived: ArrivedSubmission): Promise<void> {
    for (const listener of this.listeners) await listener(tx, arrived);
  }
}
