import type { IncomingMessage } from 'node:http';
import { DomainError } from '@app/platform';

/** The deepest nesting of objects and arrays a JSON body may have; the shipped form definitions need 9. */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether JSON text nests objects and arrays deeper than `max`: one pass over
 * the characters, no recursion, so it is safe on any input. Brackets inside
 * strings do not count. The text need not be valid JSON; parsing comes next.
 */
export function nestsDeeperThan(codes: ArrayLike<number>, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * body-parser's `verify` hook: refuses a body nested deeper than
 * MAX_JSON_DEPTH before it is parsed, so neither parsing nor validation
 * (both recursive) can run out of stack.
 */
export function refuseDeepJson(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string): void {
  // In UTF-8 every byte of a multi-byte character is >= 0x80, so the bytes can be scanned as they are.
  const utf8 = /^utf-?8$/i.test(encoding);
  const codes: ArrayLike<number> = utf8 ? body : toCodes(decode(body, encoding));
  if (nestsDeeperThan(codes, MAX_JSON_DEPTH)) throw new DomainError('json_too_deep', { maxDepth: MAX_JSON_DEPTH });
}

/** UTF-16 bodies are decoded to be scanned; a charset this cannot read is not JSON we accept. */
function decode(body: Buffer, encoding: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(body);
  } catch {
    throw new DomainError('malformed_request');
  }
}

function toCodes(text: string): Uint16Array {
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}
