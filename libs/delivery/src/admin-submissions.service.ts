import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, DomainError, type Lang } from '@app/platform';
import { type AuthContext, isAdmin } from '@app/identity';
import type { AdminSubmissionsQuery } from './delivery.dto';
import { DEFAULT_LIMIT, type Paged, periodOf } from './period';
import { METADATA_FROM, type SubmissionMetadata, toMetadata } from './submission-metadata';

/** Administrators see submissions' metadata — reference, form, unit, status, times — never their content. */
@Injectable()
export class AdminSubmissionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Every submission (pre-information too), newest first, filtered. */
  async list(auth: AuthContext, query: AdminSubmissionsQuery, lang: Lang): Promise<Paged<SubmissionMetadata>> {
    if (!isAdmin(auth)) throw new DomainError('forbidden');
    const { from, to } = periodOf(query.from, query.to);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const where = `WHERE ($1::text IS NULL OR s.status = $1) AND ($2::text IS NULL OR s.form_id = $2) AND ($3::text IS NULL OR s.purpose = $3)
                     AND ($4::text IS NULL OR s.priority = $4) AND ($5::uuid IS NULL OR s.unit_id = $5) AND ($6::text IS NULL OR s.reference = $6)
                     AND ($7::timestamptz IS NULL OR s.submitted_at >= $7) AND ($8::timestamptz IS NULL OR s.submitted_at < $8)`;
    const params = [query.status ?? null, query.form ?? null, query.purpose ?? null, query.priority ?? null, query.unit ?? null, query.reference ?? null, from, to];
    const rows = await this.db.query(`${METADATA_FROM} ${where} ORDER BY s.submitted_at DESC, s.id DESC LIMIT $9 OFFSET $10`, [...params, limit, offset]);
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM submission s ${where}`, params);
    return { items: await toMetadata(this.db.manager, rows, lang, this.clock.now()), total, limit, offset };
  }
}
