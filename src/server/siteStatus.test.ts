import { describe, expect, it } from 'vitest';
import { parseConfig } from '../contracts/index';
import { classifyProbe } from './siteStatus';

const parsed = parseConfig({ sites: [{ id: 'a', name: 'A', dicomweb: { url: 'http://127.0.0.1:1/dicom-web' }, patientIdIssuer: 'A', timeoutMs: 2000 }] });
if (!parsed.ok) throw new Error(parsed.errors.join());
const site = parsed.config.sites[0]!;
const now = new Date('2025-01-01T00:00:00Z');

describe('classifyProbe', () => {
  it('maps answers, refusals and timeouts to status-bar states', () => {
    expect(classifyProbe({ kind: 'answered', status: 200, latencyMs: 20 }, site, 1500, now).state).toBe('ok');
    expect(classifyProbe({ kind: 'answered', status: 204, latencyMs: 1600 }, site, 1500, now).state).toBe('slow');
    expect(classifyProbe({ kind: 'answered', status: 401, latencyMs: 5 }, site, 1500, now).state).toBe('unauthorised');
    expect(classifyProbe({ kind: 'answered', status: 500, latencyMs: 5 }, site, 1500, now)).toMatchObject({ state: 'error', message: 'HTTP 500' });
    expect(classifyProbe({ kind: 'refused', code: 'ECONNREFUSED', latencyMs: 1 }, site, 1500, now)).toMatchObject({ state: 'down', message: 'connection failed (ECONNREFUSED)' });
    expect(classifyProbe({ kind: 'timeout', latencyMs: 2000 }, site, 1500, now)).toMatchObject({ state: 'down', message: 'no answer within 2000 ms' });
  });
});
