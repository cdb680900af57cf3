import { Init1764130000000 } from './1764130000000-Init';

/** Every migration, in order. Listed explicitly: no globs. Never edit one that has landed. */
export const migrations = [Init1764130000000];
