import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, DomainError, Envelope, hashPassword, hashToken, randomToken, verifyPassword } from '@app/platform';
import type { AuthContext } from './auth-context';
import type { Role } from './staff.entity';
import { StaffService } from './staff.service';

/**
 * Login throttling. Every attempt is counted before its password is checked,
 * by one conditional upsert, so parallel requests cannot slip past the count.
 *
 * Strict, per (account, client address): the first CLIENT_FREE_ATTEMPTS
 * attempts go straight through; each further one must wait 1, 2, 4 … seconds
 * (doubling, at most CLIENT_MAX_WAIT_SECONDS) after the previous attempt. A
 * successful sign-in from that address clears its count; an address idle for
 * a day is forgotten.
 *
 * Loose, per account from anywhere: once an account has seen
 * ACCOUNT_ATTEMPTS_UNDER_ATTACK attempts within ACCOUNT_WINDOW_MINUTES, every
 * address must leave ACCOUNT_WAIT_SECONDS between its own attempts at that
 * account (and has no free burst). It never locks the account as a whole: an
 * address that has not tried within the last ACCOUNT_WAIT_SECONDS — the real
 * user's — is let through at once, so the owner signs in at once, or after at
 * most ACCOUNT_WAIT_SECONDS after a typo, however many addresses attack.
 */
export const LOGIN_THROTTLE = {
  CLIENT_FREE_ATTEMPTS: 5,
  CLIENT_MAX_WAIT_SECONDS: 900,
  ACCOUNT_ATTEMPTS_UNDER_ATTACK: 50,
  ACCOUNT_WINDOW_MINUTES: 15,
  ACCOUNT_WAIT_SECONDS: 10,
} as const;
const T = LOGIN_THROTTLE;
/** 2^10 s is past the cap: a larger exponent could only overflow. */
const MAX_EXPONENT = 10;

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
    private readonly envelope: Envelope,
  ) {}

  /** Signs in from a client address (the proxy-resolved `req.ip`). */
  async login(email: string, password: string, clientAddress: string): Promise<LoginResult> {
    const key = email.trim().toLowerCase();
    const account = this.envelope.pseudonym('login-account', key);
    const client = this.envelope.pseudonym('login-client', clientAddress || 'unknown');
    const now = this.clock.now();
    await this.claimAttempt(account, client, now);

    const found = await this.staff.findByEmail(key);
    // Verify against a dummy hash when the account is unknown, so timing does not tell.
    const ok = await verifyPassword(password, found?.passwordHash ?? (await this.dummyHash));
    if (!found || !ok || !found.active) throw new DomainError('invalid_credentials');
    await this.db.query(`DELETE FROM login_attempt_client WHERE account_hash = $1 AND client_hash = $2`, [account, client]);

    const token = randomToken();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlMinutes * 60_000);
    // Only if the password checked is still the account's and it is still active: a reset or a
    // deactivation that committed meanwhile has ended every session, and must end this one too.
    const created = await this.db.query(
      `INSERT INTO session (token_hash, staff_id, created_at, expires_at)
       SELECT $1, id, $3, $4 FROM staff WHERE id = $2 AND password_hash = $5 AND active RETURNING 1`,
      [hashToken(token), found.id, now, expiresAt, found.passwordHash],
    );
    if (!created.length) throw new DomainError('invalid_credentials');
    return { token, expiresAt, staff: { id: found.id, name: found.name, email: found.email, roles: found.roles } };
  }

  /**
   * Counts this attempt, or refuses it with too_many_attempts. One statement:
   * the (account, client) row is taken only when its rules allow, and then the
   * account's count goes up with it.
   */
  private async claimAttempt(account: string, client: string, now: Date): Promise<void> {
    const [claimed] = await this.db.query(
      `WITH under_attack AS (
         SELECT attempts >= $4 AS yes FROM login_attempt_account
          WHERE account_hash = $1 AND window_start > $3::timestamptz - make_interval(mins => $7)
       ), claim AS (
         INSERT INTO login_attempt_client AS c (account_hash, client_hash, attempts, last_attempt_at) VALUES ($1, $2, 1, $3)
         ON CONFLICT (account_hash, client_hash) DO UPDATE SET attempts = c.attempts + 1, last_attempt_at = $3
          WHERE (c.attempts < $5 OR $3 >= c.last_attempt_at + make_interval(secs => least(2 ^ least(c.attempts - $5, $8), $6)))
            AND (NOT coalesce((SELECT yes FROM under_attack), false) OR $3 >= c.last_attempt_at + make_interval(secs => $9))
         RETURNING 1
       ), counted AS (
         INSERT INTO login_attempt_account AS a (account_hash, window_start, attempts) SELECT $1, $3, 1 FROM claim
         ON CONFLICT (account_hash) DO UPDATE SET
           attempts = CASE WHEN a.window_start > $3::timestamptz - make_interval(mins => $7) THEN a.attempts + 1 ELSE 1 END,
           window_start = CASE WHEN a.window_start > $3::timestamptz - make_interval(mins => $7) THEN a.window_start ELSE $3 END
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM claim)::int AS claimed, (SELECT count(*) FROM counted)::int AS counted`,
      [account, client, now, T.ACCOUNT_ATTEMPTS_UNDER_ATTACK, T.CLIENT_FREE_ATTEMPTS, T.CLIENT_MAX_WAIT_SECONDS, T.ACCOUNT_WINDOW_MINUTES, MAX_EXPONENT, T.ACCOUNT_WAIT_SECONDS],
    );
    if (claimed.claimed === 1) return;
    throw new DomainError('too_many_attempts', { seconds: await this.secondsUntilNextAttempt(account, client, now) });
  }

  /** For Retry-After: when the refused (account, client) pair may try again. */
  private async secondsUntilNextAttempt(account: string, client: string, now: Date): Promise<number> {
    const [row] = await this.db.query(
      `SELECT c.attempts, c.last_attempt_at,
              coalesce(a.attempts >= $4 AND a.window_start > $3::timestamptz - make_interval(mins => $5), false) AS under_attack
         FROM login_attempt_client c
         LEFT JOIN login_attempt_account a ON a.account_hash = c.account_hash
        WHERE c.account_hash = $1 AND c.client_hash = $2`,
      [account, client, now, T.ACCOUNT_ATTEMPTS_UNDER_ATTACK, T.ACCOUNT_WINDOW_MINUTES],
    );
    if (!row) return 1;
    const last = new Date(row.last_attempt_at).getTime();
    const clientWait = row.attempts < T.CLIENT_FREE_ATTEMPTS ? 0 : Math.min(2 ** Math.min(row.attempts - T.CLIENT_FREE_ATTEMPTS, MAX_EXPONENT), T.CLIENT_MAX_WAIT_SECONDS);
    const accountWait = row.under_attack ? T.ACCOUNT_WAIT_SECONDS : 0;
    return Math.max(1, Math.ceil((last + Math.max(clientWait, accountWait) * 1000 - now.getTime()) / 1000));
  }

  /** The caller behind a session token, or null when the token is unknown or expired. */
  async authenticate(token: string): Promise<AuthContext | null> {
    const [row] = await this.db.query(
      `SELECT s.id, s.roles,
              coalesce(array_agg(su.unit_id) FILTER (WHERE 'calendar' = ANY(su.roles)), '{}') AS unit_ids,
              coalesce(array_agg(su.unit_id) FILTER (WHERE 'handler' = ANY(su.roles)), '{}') AS handler_unit_ids
         FROM session se
         JOIN staff s ON s.id = se.staff_id AND s.active
         LEFT JOIN staff_unit su ON su.staff_id = s.id
        WHERE se.token_hash = $1 AND se.expires_at > $2
        GROUP BY s.id`,
      [hashToken(token), this.clock.now()],
    );
    return row ? { staffId: row.id, roles: row.roles, unitIds: row.unit_ids, handlerUnitIds: row.handler_unit_ids } : null;
  }

  async logout(token: string): Promise<void> {
    await this.db.query(`DELETE FROM session WHERE token_hash = $1`, [hashToken(token)]);
  }

  /** Ends every session of the account (cookie and bearer alike, on every device); returns how many there were. */
  async logoutEverywhere(staffId: string): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM session WHERE staff_id = $1`, [staffId]);
    return count;
  }

  /** Removes expired sessions and stale throttle rows; safe to run on every instance. */
  async purgeExpired(): Promise<void> {
    const now = this.clock.now();
    await this.db.query(`DELETE FROM session WHERE expires_at < $1`, [now]);
    await this.db.query(`DELETE FROM login_attempt_client WHERE last_attempt_at < $1`, [new Date(now.getTime() - 86_400_000)]);
    await this.db.query(`DELETE FROM login_attempt_account WHERE window_start < $1`, [new Date(now.getTime() - T.ACCOUNT_WINDOW_MINUTES * 60_000)]);
  }
}
