import { describe, expect, it } from 'vitest';
import { reportStateOf } from './reportState';

describe('reportStateOf', () => {
  it('calls only a complete, verified report final', () => {
    expect(reportStateOf({ CompletionFlag: 'COMPLETE', VerificationFlag: 'VERIFIED' })).toBe('final');
    expect(reportStateOf({ CompletionFlag: 'PARTIAL', VerificationFlag: 'VERIFIED' })).toBe('preliminary');
    expect(reportStateOf({ CompletionFlag: 'COMPLETE', VerificationFlag: 'UNVERIFIED' })).toBe('preliminary');
    expect(reportStateOf({})).toBe('preliminary');
  });
  it('says missing when there is no report', () => {
    expect(reportStateOf(undefined)).toBe('missing');
  });
});
