import { describe, expect, it } from 'vitest';
import { auditSearch, fetchAuditEvents, NoAuditFilters } from './auditClient';

const answer = (status: number, body: unknown): typeof fetch => () => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

describe('audit client', () => {
  it('sends only the filters that are filled in', () => {
    expect(auditSearch(NoAuditFilters)).toBe('');
    expect(auditSearch({ ...NoAuditFilters, user: ' reader ', from: '2026-11-01', action: 'retrieve' })).toBe('?user=reader&from=2026-11-01&action=retrieve');
  });

  it('reads the events, and turns a refusal or a bad answer into a value', async () => {
    const event = { time: '2026-11-23T10:00:00.000Z', user: 'reader', site: 'site-a', action: 'retrieve', patientIds: ['A-1'], studyUid: '1.2', outcome: 'ok' };
    expect(await fetchAuditEvents('http://gw', NoAuditFilters, answer(200, { events: [event], truncated: false }))).toEqual({ kind: 'ok', events: [event], truncated: false });
    expect(await fetchAuditEvents('http://gw', NoAuditFilters, answer(403, { error: 'Only administrators may read the audit log' }))).toEqual({
      kind: 'forbidden',
      message: 'Only administrators may read the audit log',
    });
    expect(await fetchAuditEvents('http://gw', NoAuditFilters, answer(200, { events: [{ user: 'x' }] }))).toMatchObject({ kind: 'error' });
    expect(await fetchAuditEvents('http://gw', NoAuditFilters, () => Promise.reject(new Error('offline')))).toMatchObject({ kind: 'error', message: expect.stringContaining('offline') });
  });
});
