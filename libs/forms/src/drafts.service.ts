import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, DomainError, Envelope, hashToken, randomToken, toHelsinkiIso } from '@app/platform';
import { FormDefinitionsService } from './form-definitions.service';
import type { Answers, CompiledForm } from './form-runtime';

const DRAFT_DAYS = 7;

export interface DraftView {
  formId: string;
  version: number;
  answers: Answers;
  expiresAt: string;
}

/**
 * Saved, unfinished forms. A draft is reached only with its secret resume
 * token (stored as a hash), is encrypted like a submission, keeps the form
 * version it was started on, and expires after 7 days. Its answers are
 * checked like a submission's, except that nothing is required yet, and
 * their JSON may be at most DRAFT_MAX_BYTES.
 */
@Injectable()
export class DraftsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly definitions: FormDefinitionsService,
    private readonly envelope: Envelope,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The answers to keep, as JSON; refuses what a submission would refuse (but for requirements) and oversized drafts. */
  private checked(form: CompiledForm, answers: Answers): string {
    const outcome = form.validateDraft(answers);
    if (outcome.errors.length) throw new DomainError('answers_invalid', {}, outcome.errors);
    const json = JSON.stringify(outcome.answers);
    const limit = this.config.draftMaxBytes;
    if (Buffer.byteLength(json) > limit) throw new DomainError('draft_too_large', { maxKb: Math.floor(limit / 1024) });
    return json;
  }

  /** Saves a new draft; returns the resume token (shown once). */
  async create(formId: string, answers: Answers): Promise<{ resumeToken: string; expiresAt: string }> {
    const form = await this.definitions.published(formId);
    const sealed = this.envelope.seal(this.checked(form, answers));
    const token = randomToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + DRAFT_DAYS * 86_400_000);
    await this.db.query(
      `INSERT INTO form_draft (form_id, form_version, token_hash, key_id, wrapped_key, payload, created_at, updated_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
      [formId, form.definition.version, hashToken(token), sealed.keyId, sealed.wrappedKey, sealed.payload, now, expiresAt],
    );
    return { resumeToken: token, expiresAt: toHelsinkiIso(expiresAt) };
  }

  async resume(token: string): Promise<DraftView> {
    const [row] = await this.db.query(`SELECT * FROM form_draft WHERE token_hash = $1 AND expires_at > $2`, [hashToken(token), this.clock.now()]);
    if (!row) throw new DomainError('not_found');
    const answers = JSON.parse(this.envelope.open({ keyId: row.key_id, wrappedKey: row.wrapped_key, payload: row.payload }, `form_draft ${row.id}`)) as Answers;
    return { formId: row.form_id, version: row.form_version, answers, expiresAt: toHelsinkiIso(row.expires_at) };
  }

  /** Replaces a draft's answers; the expiry stays 7 days from when it was started. */
  async update(token: string, answers: Answers): Promise<DraftView> {
    const draft = await this.resume(token);
    const form = await this.definitions.pinned(draft.formId, draft.version);
    const sealed = this.envelope.seal(this.checked(form, answers));
    await this.db.query(`UPDATE form_draft SET key_id = $2, wrapped_key = $3, payload = $4, updated_at = $5 WHERE token_hash = $1`, [
      hashToken(token), sealed.keyId, sealed.wrappedKey, sealed.payload, this.clock.now(),
    ]);
    return this.resume(token);
  }

  async discard(token: string): Promise<void> {
    await this.db.query(`DELETE FROM form_draft WHERE token_hash = $1`, [hashToken(token)]);
  }

  /** Deletes expired drafts; a plain delete, safe on every instance. */
  async purgeExpired(): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM form_draft WHERE expires_at <= $1`, [this.clock.now()]);
    return count;
  }
}
