import { describe, expect, it } from 'vitest';
import { runWithRetry } from './siteClient';

const site = { id: 'b', name: 'Riverside' };

/** A clock the test moves: each attempt takes `cost` ms. */
function fakeTime() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms), sleep: async (ms: number) => void (t += ms) };
}

describe('runWithRetry', () => {
  it('retries once after a network error and then succeeds', async () => {
    const clock = fakeTime();
    const answers = [{ failure: { status: 0, timedOut: false } }, { value: 42 }];
    let calls = 0;
    const outcome = await runWithRetry(site, { timeoutMs: 4000 }, async () => (clock.advance(10), answers[calls++]!), clock.now, clock.sleep);
    expect(calls).toBe(2);
    expect(outcome).toMatchObject({ kind: 'ok', value: 42, slow: false });
  });

  it('does not retry a timeout or an HTTP error', async () => {
    for (const failure of [{ status: 0, timedOut: true }, { status: 500, timedOut: false }, { status: 401, timedOut: false }]) {
      let calls = 0;
      const outcome = await runWithRetry(site, { timeoutMs: 4000 }, async () => (calls++, { failure }));
      expect(calls).toBe(1);
      expect(outcome.kind).not.toBe('ok');
    }
  });

  it('reports down after the retry also fails', async () => {
    const clock = fakeTime();
    const outcome = await runWithRetry(site, { timeoutMs: 4000 }, async () => (clock.advance(5), { failure: { status: 0, timedOut: false } }), clock.now, clock.sleep);
    expect(outcome).toMatchObject({ kind: 'down', message: 'Riverside is not reachable' });
  });

  it('marks an answer after the soft threshold as slow', async () => {
    const clock = fakeTime();
    const outcome = await runWithRetry(site, { timeoutMs: 4000, slowThresholdMs: 1500 }, async () => (clock.advance(2100), { value: 1 }), clock.now, clock.sleep);
    expect(outcome).toMatchObject({ kind: 'ok', slow: true, elapsedMs: 2100 });
  });
});
