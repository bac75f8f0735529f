import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../contracts/index';
import { createLoginThrottle } from './loginThrottle';
import { hashPassword, verifyPassword } from './passwords';
import { createSessionSigner, type SessionPayload } from './sessionToken';

describe('passwords', () => {
  it('verifies the password a hash was made from and nothing else; malformed hashes are just false', async () => {
    const hash = hashPassword('correct horse', { N: 1024, r: 8, p: 1 });
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[^$]+\$[^$]+$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(await verifyPassword('correct horse', 'plain-text')).toBe(false);
    expect(await verifyPassword('correct horse', 'scrypt$99999999$8$1$AAAA$AAAA')).toBe(false);
    // Two hashes of one password differ (salted).
    expect(hashPassword('x', { N: 1024, r: 8, p: 1 })).not.toBe(hashPassword('x', { N: 1024, r: 8, p: 1 }));
  });

  it('keeps plain passwords out of a config: accounts need a hash', () => {
    const result = parseConfig({ sites: [{ id: 'a', name: 'A', folder: { path: '/x' }, patientIdIssuer: 'A' }], auth: { accounts: [{ username: 'amy', passwordHash: 'hunter2' }] } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^auth\.accounts\[0\]\.passwordHash: must be a hash from `npm run hash-password`/);
  });
});

describe('session tokens', () => {
  const payload: SessionPayload = { v: 1, u: 'amy', n: 'Amy', r: ['clinician'], s: ['site-a'], c: 'csrf', i: 'sid', e: Date.now() + 60_000 };

  it('accepts its own signature until expiry, on any signer with the same secret', () => {
    const one = createSessionSigner(Buffer.from('s'.repeat(32)));
    const other = createSessionSigner(Buffer.from('s'.repeat(32)));
    const token = one.sign(payload);
    expect(other.verify(token)).toEqual(payload);
    expect(other.verify(token, payload.e + 1)).toBeUndefined();
  });

  it('rejects a token from another secret, and one whose payload was edited', () => {
    const signer = createSessionSigner(Buffer.from('s'.repeat(32)));
    const token = signer.sign(payload);
    expect(createSessionSigner(Buffer.from('t'.repeat(32))).verify(token)).toBeUndefined();
    const [, mac] = token.split('.');
    const promoted = Buffer.from(JSON.stringify({ ...payload, r: ['clinician', 'admin'] })).toString('base64url');
    expect(signer.verify(`${promoted}.${mac}`)).toBeUndefined();
    expect(signer.verify('garbage')).toBeUndefined();
  });
});

describe('sign-in throttle', () => {
  it('blocks a username after five failures within the window, until the window moves on', () => {
    const throttle = createLoginThrottle({ maxFailures: 5, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      expect(throttle.retryAfterS('amy', '10.0.0.1', 1000 + i)).toBe(0);
      throttle.failed('amy', '10.0.0.1', 1000 + i);
    }
    expect(throttle.retryAfterS('AMY', '10.0.0.2', 2000)).toBe(59);
    expect(throttle.retryAfterS('bob', '10.0.0.2', 2000)).toBe(0);
    expect(throttle.retryAfterS('amy', '10.0.0.1', 61_001)).toBe(0);
  });

  it('blocks an address trying many usernames', () => {
    const throttle = createLoginThrottle({ maxFailures: 2, windowMs: 60_000 });
    for (let i = 0; i < 8; i++) throttle.failed(`user${i}`, '10.0.0.9', 1000);
    expect(throttle.retryAfterS('someone-new', '10.0.0.9', 1000)).toBe(60);
    expect(throttle.retryAfterS('someone-new', '10.0.0.10', 1000)).toBe(0);
  });
});
