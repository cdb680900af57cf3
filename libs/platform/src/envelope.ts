import { Injectable, Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppConfig } from './config';

/** Ciphertext of one record: its own data key, wrapped by a master key named by id. */
export interface Sealed {
  keyId: string;
  wrappedKey: string;
  payload: string;
}

function encrypt(key: Buffer, plaintext: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
}

function decrypt(key: Buffer, sealed: string): Buffer {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

/**
 * Envelope encryption for data at rest: a random AES-256-GCM data key per
 * record, wrapped by the current master key. Older master keys stay readable
 * by id, so keys can be rotated without rewriting old records at once.
 */
@Injectable()
export class Envelope {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentId: string;

  constructor(config: AppConfig) {
    const logger = new Logger(Envelope.name);
    for (const [id, key] of config.masterKeys) this.keys.set(id, key);
    if (this.keys.size === 0) {
      // The newcomer default: a key generated once and kept with the local data.
      const file = `${config.dataDir}/master-key`;
      if (!existsSync(file)) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
        logger.warn(`no MASTER_KEYS set: generated a local master key in ${file}; set MASTER_KEYS in production`);
      }
      chmodSync(file, 0o600);
      const [id, key] = readFileSync(file, 'utf8').trim().split(':');
      this.keys.set(id, Buffer.from(key, 'base64'));
    }
    this.currentId = [...this.keys.keys()][0];
  }

  /**
   * A key for another purpose (e.g. keyed hashes), derived from the current
   * master key: every instance with the same MASTER_KEYS derives the same key,
   * and nobody who reads only the database can.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.keys.get(this.currentId)!, 'perhe-booking', purpose, 32));
  }

  seal(plaintext: string): Sealed {
    const dataKey = randomBytes(32);
    return {
      keyId: this.currentId,
      wrappedKey: encrypt(this.keys.get(this.currentId)!, dataKey),
      payload: encrypt(dataKey, Buffer.from(plaintext, 'utf8')),
    };
  }

  open(sealed: Sealed): string {
    const master = this.keys.get(sealed.keyId);
    if (!master) throw new Error(`master key ${sealed.keyId} is not configured`);
    return decrypt(decrypt(master, sealed.wrappedKey), sealed.payload).toString('utf8');
  }
}
