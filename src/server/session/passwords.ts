/**
 * Passwords are stored only as scrypt hashes (node:crypto; no native add-ons to build on a
 * hospital server). The format carries its own cost parameters so they can be raised later
 * without invalidating existing accounts.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const DEFAULT_COST = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function memoryFor(cost: { N: number; r: number }): number {
  return 128 * cost.N * cost.r * 2;
}

/** `scrypt$N$r$p$salt$hash` (base64). Synchronous: only used when writing accounts. */
export function hashPassword(password: string, cost: { N: number; r: number; p: number } = DEFAULT_COST): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFC'), salt, KEY_LENGTH, { ...cost, maxmem: memoryFor(cost) });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

function scryptAsync(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** False for a wrong password and for a malformed hash; never throws on bad input. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length < 16) return false;
  try {
    const actual = await scryptAsync(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: memoryFor({ N, r }) });
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

/** Work done for an unknown username too, so timing does not tell which usernames exist. */
export const DUMMY_HASH = hashPassword(randomBytes(12).toString('base64'));
