import { describe, expect, it } from 'vitest';
import { TransferRequestSchema, TransferStatusSchema } from './transfer';

describe('transfer contract', () => {
  it('accepts a send between two sites', () => {
    expect(TransferRequestSchema.safeParse({ studyUid: '1.2.826.0.1.3680043.8.498.1', fromSiteId: 'site-a', toSiteId: 'site-c' }).success).toBe(true);
  });

  it('refuses a send to the same site, a non-UID study and extra fields', () => {
    expect(TransferRequestSchema.safeParse({ studyUid: '1.2.3', fromSiteId: 'site-a', toSiteId: 'site-a' }).success).toBe(false);
    expect(TransferRequestSchema.safeParse({ studyUid: '../etc', fromSiteId: 'site-a', toSiteId: 'site-c' }).success).toBe(false);
    expect(TransferRequestSchema.safeParse({ studyUid: '1.2.3', fromSiteId: 'site-a', toSiteId: 'site-c', PatientID: 'x' }).success).toBe(false);
  });

  it('reads a status with per-instance results and refuses an unknown state', () => {
    const status = {
      id: 't1',
      studyUid: '1.2.3',
      fromSiteId: 'site-a',
      toSiteId: 'site-c',
      state: 'failed-partly',
      total: 2,
      sent: 1,
      failed: 1,
      targetPatientID: '5526506',
      targetIssuerOfPatientID: 'MII',
      instances: [
        { SOPInstanceUID: '1.2.3.1', SeriesInstanceUID: '1.2.3.9', outcome: 'ok' },
        { SOPInstanceUID: '1.2.3.2', SeriesInstanceUID: '1.2.3.9', outcome: 'failed', reason: 'HTTP 502' },
      ],
    };
    expect(TransferStatusSchema.safeParse(status).success).toBe(true);
    expect(TransferStatusSchema.safeParse({ ...status, state: 'paused' }).success).toBe(false);
  });
});
