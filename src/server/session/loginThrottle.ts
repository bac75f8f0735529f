/**
 * Slows password guessing: after `maxFailures` wrong passwords for one username, or
 * `maxFailures × 4` from one address, within `windowMs`, sign-in answers 429 until the window
 * has moved on — even for the right password, or guessing would simply continue. In-process:
 * behind several gateway instances each instance counts on its own (noted in README).
 */
export interface LoginThrottle {
  /** Seconds to wait, or 0 when an attempt may go ahead. */
  retryAfterS(username: string, address: string, now?: number): number;
  failed(username: string, address: string, now?: number): void;
  succeeded(username: string): void;
}

export function createLoginThrottle(options: { maxFailures?: number; windowMs?: number } = {}): LoginThrottle {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => {
    const kept = (failures.get(key) ?? []).filter((t) => now - t < windowMs);
    if (kept.length) failures.set(key, kept);
    else failures.delete(key);
    return kept;
  };
  const wait = (times: number[], limit: number, now: number) => (times.length >= limit ? Math.ceil((times[times.length - limit]! + windowMs - now) / 1000) : 0);
  const userKey = (username: string) => `u:${username.toLowerCase()}`;
  return {
    retryAfterS(username, address, now = Date.now()) {
      return Math.max(wait(recent(userKey(username), now), maxFailures, now), wait(recent(`a:${address}`, now), maxFailures * 4, now));
    },
    failed(username, address, now = Date.now()) {
      for (const key of [userKey(username), `a:${address}`]) failures.set(key, [...recent(key, now), now]);
      if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
    },
    succeeded(username) {
      failures.delete(userKey(username));
    },
  };
}
