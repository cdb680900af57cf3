import { Init1764130000000 } from './1764130000000-Init';
import { Outbox1764140000000 } from './1764140000000-Outbox';
import { Forms1764150000000 } from './1764150000000-Forms';
import { OutboxLease1764180000000 } from './1764180000000-OutboxLease';

/** Every migration, in order. Listed explicitly: no globs. Never edit one that has landed. */
export const migrations = [Init1764130000000, Outbox1764140000000, Forms1764150000000, OutboxLease1764180000000];
