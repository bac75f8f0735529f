import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../contracts/index';
import { matchesAuditQuery, parseAuditQuery } from './query';

const event: AuditEvent = {
  time: '2026-11-23T10:15:00.000Z',
  user: 'Reader',
  site: 'site-a',
  action: 'study-open',
  patientIds: ['A-7734', '9990764875'],
  studyUid: '1.2.3',
  outcome: 'ok',
};

function query(search: string) {
  const parsed = parseAuditQuery(search);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.query;
}

describe('audit query', () => {
  it('filters by user (any case), action and patient ID (an NHS number however it is spaced)', () => {
    expect(matchesAuditQuery(event, query('user=reader'))).toBe(true);
    expect(matchesAuditQuery(event, query('user=clinician'))).toBe(false);
    expect(matchesAuditQuery(event, query('action=study-open&patientId=999+076+4875'))).toBe(true);
    expect(matchesAuditQuery(event, query('action=retrieve'))).toBe(false);
    expect(matchesAuditQuery(event, query('patientId=B-1'))).toBe(false);
  });

  it('takes a bare date as the whole day for from and to', () => {
    expect(query('from=2026-11-23&to=2026-11-23')).toMatchObject({ from: '2026-11-23T00:00:00.000Z', to: '2026-11-23T23:59:59.999Z' });
    expect(matchesAuditQuery(event, query('from=2026-11-23&to=2026-11-23'))).toBe(true);
    expect(matchesAuditQuery(event, query('from=2026-11-24'))).toBe(false);
    expect(matchesAuditQuery(event, query('to=2026-11-22'))).toBe(false);
    expect(matchesAuditQuery(event, query('from=2026-11-23T10:15:00.001Z'))).toBe(false);
  });

  it('rejects an unknown action or a malformed date with the field named', () => {
    expect(parseAuditQuery('action=delete')).toMatchObject({ ok: false, error: expect.stringContaining('action') });
    expect(parseAuditQuery('from=yesterday')).toMatchObject({ ok: false, error: expect.stringContaining('from') });
    expect(query('')).toMatchObject({ limit: 500 });
  });
});
