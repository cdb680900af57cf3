import { Injectable, Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppConfig } from './config';
import { DomainError } from './errors';

/** Ciphertext of one record: its own data key, wrapped by a master key named by id. */
export interface Sealed {
  keyId: string;
  wrappedKey: string;
  payload: string;
}

/** Why sealed data could not be opened. Never carries any of the data. */
export class SealedDataError extends Error {
  override name = 'SealedDataError';

  constructor(readonly reason: 'unknown-key' | 'not-authentic', keyId: string) {
    super(
      reason === 'unknown-key'
        ? `master key "${keyId}" is not in MASTER_KEYS`
        : `the AES-GCM authentication failed under master key "${keyId}": the wrapped key or the payload was modified, or sealed with another key`,
    );
  }
}

function encrypt(key: Buffer, plaintext: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
}

/** Decrypts and authenticates; anything malformed or not authentic is `undefined`. */
function decrypt(key: Buffer, sealed: string): Buffer | undefined {
  try {
    const parts = typeof sealed === 'string' ? sealed.split('.') : [];
    if (parts.length !== 3) return undefined;
    const [iv, tag, body] = parts.map((p) => Buffer.from(p, 'base64'));
    if (iv.length !== 12 || tag.length !== 16) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return undefined;
  }
}

/**
 * Envelope encryption for data at rest: a random AES-256-GCM data key per
 * record, wrapped by the current master key (the first of MASTER_KEYS).
 * Older master keys stay readable by id; `keys:rotate` rewraps the data keys
 * under the current one, after which the older keys can be removed.
 */
@Injectable()
export class Envelope {
  private readonly logger = new Logger(Envelope.name);
  private readonly keys = new Map<string, Buffer>();
  private readonly currentId: string;
  private readonly pseudonymSecret: Buffer;
  private readonly pseudonymKeys = new Map<string, Buffer>();

  constructor(config: AppConfig) {
    for (const [id, key] of config.masterKeys) this.keys.set(id, key);
    if (this.keys.size === 0) {
      // The newcomer default: a key generated once and kept with the local data.
      const file = `${config.dataDir}/master-key`;
      if (!existsSync(file)) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
        this.logger.warn(`no MASTER_KEYS set: generated a local master key in ${file}; set MASTER_KEYS in production`);
      }
      chmodSync(file, 0o600);
      const [id, key] = readFileSync(file, 'utf8').trim().split(':');
      this.keys.set(id, Buffer.from(key, 'base64'));
    }
    this.currentId = [...this.keys.keys()][0];
    this.pseudonymSecret = config.pseudonymKey ?? this.keys.get(this.currentId)!;
  }

  /** The id of the master key new data keys are wrapped with. */
  get currentKeyId(): string {
    return this.currentId;
  }

  seal(plaintext: string): Sealed {
    const dataKey = randomBytes(32);
    return {
      keyId: this.currentId,
      wrappedKey: encrypt(this.keys.get(this.currentId)!, dataKey),
      payload: encrypt(dataKey, Buffer.from(plaintext, 'utf8')),
    };
  }

  /**
   * Decrypts a record. One that cannot be opened — its master key is not
   * configured, or the authentication of its wrapped key or payload fails
   * (modified in the database) — is never returned: the failure is logged
   * naming `record` (a table and row id, never contents) and the caller gets
   * `record_unreadable`.
   */
  open(sealed: Sealed, record = 'a record'): string {
    try {
      return this.unseal(sealed).toString('utf8');
    } catch (error) {
      if (!(error instanceof SealedDataError)) throw error;
      this.logger.error(`cannot open the sealed data of ${record}: ${error.message}`);
      throw new DomainError('record_unreadable');
    }
  }

  /**
   * The record's data key wrapped again under the current master key; the
   * payload stays as it is. The payload is authenticated first (decrypted and
   * dropped), so a modified record is found here rather than at its next read.
   * Throws `SealedDataError`.
   */
  rewrap(sealed: Sealed): Sealed {
    const dataKey = this.dataKeyOf(sealed);
    const plaintext = decrypt(dataKey, sealed.payload);
    if (!plaintext) throw new SealedDataError('not-authentic', sealed.keyId);
    plaintext.fill(0);
    return { keyId: this.currentId, wrappedKey: encrypt(this.keys.get(this.currentId)!, dataKey), payload: sealed.payload };
  }

  private unseal(sealed: Sealed): Buffer {
    const plaintext = decrypt(this.dataKeyOf(sealed), sealed.payload);
    if (!plaintext) throw new SealedDataError('not-authentic', sealed.keyId);
    return plaintext;
  }

  private dataKeyOf(sealed: Sealed): Buffer {
    const master = this.keys.get(sealed.keyId);
    if (!master) throw new SealedDataError('unknown-key', sealed.keyId);
    const dataKey = decrypt(master, sealed.wrappedKey);
    if (!dataKey || dataKey.length !== 32) throw new SealedDataError('not-authentic', sealed.keyId);
    return dataKey;
  }

  /**
   * A keyed one-way pseudonym of a value (e.g. a client address) for one
   * purpose: equal values give equal pseudonyms on every instance that shares
   * the key, and the database alone does not reveal the value (a plain hash
   * of an IPv4 address is undone by trying all 2^32). Keyed by PSEUDONYM_KEY
   * when set, so pseudonyms (rate-limit and login-throttle counters) survive a
   * master-key rotation; without it, by the current master key, and rotating
   * that starts the counters afresh.
   */
  pseudonym(purpose: string, value: string): string {
    let key = this.pseudonymKeys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.pseudonymSecret, 'perhe-booking', `pseudonym:${purpose}`, 32));
      this.pseudonymKeys.set(purpose, key);
    }
    return createHmac('sha256', key).update(value).digest('base64url');
  }
}
