import { describe, expect, it } from 'vitest';
import { describePeople, summariseReport } from './reportSummary';
import { documentStateOf } from './reportState';

describe('summariseReport', () => {
  it('says "No report at any site" only when every site answered', () => {
    expect(summariseReport({ state: 'missing', checkedSites: ['a', 'b', 'c'], failedSites: [] })).toEqual({ state: 'missing', label: 'No report at any site', notChecked: [] });
  });

  it('names the sites that could not be checked, from the lookup and from the patient search', () => {
    const down = { siteId: 'b', kind: 'down' as const, message: 'Riverside is not reachable' };
    const searching = { siteId: 'c', kind: 'timeout' as const, message: 'Meadow has not answered yet' };
    const summary = summariseReport({ state: 'missing', checkedSites: ['a'], failedSites: [down] }, [down, searching]);
    expect(summary).toEqual({ state: 'missing', label: 'No report at any site that answered', notChecked: [down, searching] });
  });
});

describe('describePeople and documentStateOf', () => {
  it('puts the verifier first with their organisation', () => {
    expect(describePeople([{ role: 'verifier', name: 'Dr Hannah WHITFIELD', organisation: 'Northgate' }, { role: 'author', name: 'CAD 2' }])).toBe(
      'Dr Hannah WHITFIELD (verified, Northgate); CAD 2 (author)',
    );
  });
  it('calls a PDF final only when it says it was verified', () => {
    expect(documentStateOf({ VerificationFlag: 'VERIFIED' })).toBe('final');
    expect(documentStateOf({})).toBe('preliminary');
  });
});
