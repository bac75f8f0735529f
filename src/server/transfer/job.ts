/**
 * One send of one study: queued → running → done | failed-partly, and from failed-partly a retry
 * runs again over the failed instances only. Instances go one at a time through a small pool
 * (retrieve → coerce → STOW), so memory holds at most `concurrency` instances, never the study.
 * A failure is recorded on its instance and the send goes on: a target that goes down mid-send
 * leaves the rest failed with the reason, and what was stored before stays stored.
 */
import type { InstanceTransfer, TransferState, TransferStatus } from '../../contracts/index';
import { coerceIdentity } from './coerce';
import type { InstanceRef, TransferSites } from './transferSites';

export interface TransferJobOptions {
  id: string;
  request: { studyUid: string; fromSiteId: string; toSiteId: string };
  target: { PatientID: string; IssuerOfPatientID: string; nationalId: string };
  nationalIdIssuer: string;
  /** Written into SourceOfPreviousValues. */
  sourceName: string;
  instances: readonly InstanceRef[];
  sites: TransferSites;
  /** Instances in flight at once (default 2). */
  concurrency?: number;
  now?: () => Date;
  /** After every run (the first and each retry), with the status it ended in. */
  onRunFinished?: (status: TransferStatus, run: { retry: boolean; attempted: number }) => void;
}

export interface TransferJob {
  status(): TransferStatus;
  /** Starts the first run; resolves when it ends. */
  start(): Promise<void>;
  /** Re-sends the failed instances; undefined when there is nothing to retry or a run is going. */
  retry(): Promise<void> | undefined;
}

export function createTransferJob(options: TransferJobOptions): TransferJob {
  const { request, target, sites } = options;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const now = options.now ?? (() => new Date());
  const instances: InstanceTransfer[] = options.instances.map((ref) => ({ ...ref, outcome: 'pending' }));
  let state: TransferState = 'queued';

  function status(): TransferStatus {
    const sent = instances.filter((i) => i.outcome === 'ok').length;
    const failed = instances.filter((i) => i.outcome === 'failed').length;
    return {
      id: options.id,
      ...request,
      state,
      total: instances.length,
      sent,
      failed,
      targetPatientID: target.PatientID,
      targetIssuerOfPatientID: target.IssuerOfPatientID,
      instances: instances.map((i) => ({ ...i })),
    };
  }

  async function sendOne(item: InstanceTransfer): Promise<void> {
    const fail = (reason: string) => {
      item.outcome = 'failed';
      item.reason = reason;
    };
    const retrieved = await sites.retrieve(request.fromSiteId, request.studyUid, item);
    if (!retrieved.ok) return fail(`reading from the source: ${retrieved.error}`);
    let coerced: ArrayBuffer;
    try {
      coerced = coerceIdentity(retrieved.value, { ...target, nationalIdIssuer: options.nationalIdIssuer, previousSource: options.sourceName }, now());
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    const stored = await sites.store(request.toSiteId, coerced, item.SOPInstanceUID);
    if (!stored.ok) return fail(`storing at the target: ${stored.error}`);
    item.outcome = 'ok';
    delete item.reason;
  }

  async function runPending(retry: boolean): Promise<void> {
    state = 'running';
    const queue = instances.filter((i) => i.outcome === 'pending');
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const item = queue[next++]!;
        await sendOne(item).catch((error: unknown) => {
          // A bug, not a site failure: still only this instance fails.
          item.outcome = 'failed';
          item.reason = `internal error: ${error instanceof Error ? error.message : String(error)}`;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    state = instances.some((i) => i.outcome === 'failed') ? 'failed-partly' : 'done';
    options.onRunFinished?.(status(), { retry, attempted: queue.length });
  }

  return {
    status,
    start() {
      if (state !== 'queued') throw new Error('TransferJob.start: already started');
      return runPending(false);
    },
    retry() {
      if (state !== 'failed-partly') return undefined;
      for (const item of instances) {
        if (item.outcome !== 'failed') continue;
        item.outcome = 'pending';
        delete item.reason;
      }
      return runPending(true);
    },
  };
}
