import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, DomainError, hashPassword, hashToken, randomToken, verifyPassword } from '@app/platform';
import type { AuthContext } from './auth-context';
import type { Role } from './staff.entity';
import { StaffService } from './staff.service';

/** Failures allowed before each further attempt must wait; the wait doubles up to the cap. */
const FREE_FAILURES = 5;
const MAX_WAIT_SECONDS = 900;

export interface LoginResult {
  token: string;
  expiresAt: Date;
  staff: { id: string; name: string; email: string; roles: Role[] };
}

@Injectable()
export class AuthService {
  private readonly dummyHash = hashPassword('not-a-real-password');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly staff: StaffService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string): Promise<LoginResult> {
    const key = email.trim().toLowerCase();
    const now = this.clock.now();
    await this.refuseWhileThrottled(key, now);

    const found = await this.staff.findByEmail(key);
    // Verify against a dummy hash when the account is unknown, so timing does not tell.
    const ok = await verifyPassword(password, found?.passwordHash ?? (await this.dummyHash));
    if (!found || !ok || !found.active) {
      await this.db.query(
        `INSERT INTO login_throttle (email, failures, last_failure_at) VALUES ($1, 1, $2)
         ON CONFLICT (email) DO UPDATE SET failures = login_throttle.failures + 1, last_failure_at = $2`,
        [key, now],
      );
      throw new DomainError('invalid_credentials');
    }
    await this.db.query(`DELETE FROM login_throttle WHERE email = $1`, [key]);

    const token = randomToken();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlMinutes * 60_000);
    await this.db.query(`INSERT INTO session (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [
      hashToken(token), found.id, now, expiresAt,
    ]);
    return { token, expiresAt, staff: { id: found.id, name: found.name, email: found.email, roles: found.roles } };
  }

  private async refuseWhileThrottled(key: string, now: Date): Promise<void> {
    const [row] = await this.db.query(`SELECT failures, last_failure_at FROM login_throttle WHERE email = $1`, [key]);
    if (!row || row.failures < FREE_FAILURES) return;
    const waitSeconds = Math.min(2 ** (row.failures - FREE_FAILURES), MAX_WAIT_SECONDS);
    const retryAt = new Date(row.last_failure_at).getTime() + waitSeconds * 1000;
    if (now.getTime() < retryAt) {
      throw new DomainError('too_many_attempts', { seconds: Math.ceil((retryAt - now.getTime()) / 1000) });
    }
  }

  /** The caller behind a session token, or null when the token is unknown or expired. */
  async authenticate(token: string): Promise<AuthContext | null> {
    const [row] = await this.db.query(
      `SELECT s.id, s.roles, coalesce(array_agg(su.unit_id) FILTER (WHERE su.unit_id IS NOT NULL), '{}') AS unit_ids
         FROM session se
         JOIN staff s ON s.id = se.staff_id AND s.active
         LEFT JOIN staff_unit su ON su.staff_id = s.id
        WHERE se.token_hash = $1 AND se.expires_at > $2
        GROUP BY s.id`,
      [hashToken(token), this.clock.now()],
    );
    return row ? { staffId: row.id, roles: row.roles, unitIds: row.unit_ids } : null;
  }

  async logout(token: string): Promise<void> {
    await this.db.query(`DELETE FROM session WHERE token_hash = $1`, [hashToken(token)]);
  }

  /** Removes expired sessions and stale throttle rows; safe to run on every instance. */
  async purgeExpired(): Promise<void> {
    const now = this.clock.now();
    await this.db.query(`DELETE FROM session WHERE expires_at < $1`, [now]);
    await this.db.query(`DELETE FROM login_throttle WHERE last_failure_at < $1`, [new Date(now.getTime() - 86_400_000)]);
  }
}
