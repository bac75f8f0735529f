/**
 * "Send to…": the dialog's state for copying one study to another hospital. The gateway decides
 * who the study is filed as at the target (the plan) and refuses a person the target does not
 * know; this slice shows that, starts the send, follows its progress and retries its failures.
 * Late answers for a send that is no longer on screen are dropped (`revision`).
 */
import type { StateCreator } from 'zustand';
import type { TransferPlan, TransferStatus } from '../contracts/index';
import { planTransfer, retryTransfer, startTransfer, transferStatus } from '../sites/index';
import type { CrossviewState } from './store';

export type SendPlanState = { kind: 'none' } | { kind: 'loading' } | { kind: 'ready'; plan: TransferPlan } | { kind: 'error'; message: string };

export type SendProgress = { kind: 'none' } | { kind: 'starting' } | { kind: 'following'; status: TransferStatus } | { kind: 'error'; message: string };

export type SendState =
  | { kind: 'closed' }
  | { kind: 'open'; studyUid: string; fromSiteId: string; toSiteId?: string; plan: SendPlanState; progress: SendProgress };

export interface TransferState {
  send: SendState;
}

export interface TransferActions {
  openSend(studyUid: string, fromSiteId: string): void;
  closeSend(): void;
  /** Picks the target and asks the gateway who the study would be there. */
  chooseSendTarget(toSiteId: string): Promise<void>;
  startSend(): Promise<void>;
  retrySend(): Promise<void>;
}

export type TransferSlice = TransferState & TransferActions;

/** How often a running send is polled. */
export const SendPollMs = 400;

const finished = (status: TransferStatus) => status.state === 'done' || status.state === 'failed-partly';

export const createTransferSlice =
  (origin: string): StateCreator<CrossviewState, [], [], TransferSlice> =>
  (set, get) => {
    let revision = 0;
    const current = () => get().send;
    const update = (at: number, change: (open: Extract<SendState, { kind: 'open' }>) => Partial<Extract<SendState, { kind: 'open' }>>) => {
      const send = current();
      if (at !== revision || send.kind !== 'open') return;
      set({ send: { ...send, ...change(send) } });
    };

    async function follow(at: number, id: string): Promise<void> {
      while (at === revision) {
        const answer = await transferStatus(origin, id);
        if (at !== revision) return;
        if (answer.kind !== 'ok') {
          update(at, () => ({ progress: { kind: 'error', message: answer.message } }));
          return;
        }
        update(at, () => ({ progress: { kind: 'following', status: answer.value } }));
        if (finished(answer.value)) return;
        await new Promise((resolve) => setTimeout(resolve, SendPollMs));
      }
    }

    return {
      send: { kind: 'closed' },
      openSend(studyUid, fromSiteId) {
        revision++;
        set({ send: { kind: 'open', studyUid, fromSiteId, plan: { kind: 'none' }, progress: { kind: 'none' } } });
      },
      closeSend() {
        // The send goes on at the gateway; only this view of it stops.
        revision++;
        set({ send: { kind: 'closed' } });
      },
      async chooseSendTarget(toSiteId) {
        const send = current();
        if (send.kind !== 'open' || send.progress.kind !== 'none') return;
        const at = ++revision;
        set({ send: { ...send, toSiteId, plan: { kind: 'loading' } } });
        const answer = await planTransfer(origin, { studyUid: send.studyUid, fromSiteId: send.fromSiteId, toSiteId });
        update(at, () => ({ plan: answer.kind === 'ok' ? { kind: 'ready', plan: answer.value } : { kind: 'error', message: answer.message } }));
      },
      async startSend() {
        const send = current();
        if (send.kind !== 'open' || !send.toSiteId || send.plan.kind !== 'ready' || send.plan.plan.target.kind !== 'linked' || send.progress.kind !== 'none') return;
        const at = ++revision;
        set({ send: { ...send, progress: { kind: 'starting' } } });
        const answer = await startTransfer(origin, { studyUid: send.studyUid, fromSiteId: send.fromSiteId, toSiteId: send.toSiteId });
        if (answer.kind !== 'ok') {
          update(at, () => ({ progress: { kind: 'error', message: answer.message } }));
          return;
        }
        await follow(at, answer.value.id);
      },
      async retrySend() {
        const send = current();
        if (send.kind !== 'open' || send.progress.kind !== 'following' || send.progress.status.state !== 'failed-partly') return;
        const { id } = send.progress.status;
        const at = ++revision;
        const answer = await retryTransfer(origin, id);
        if (answer.kind !== 'ok') {
          update(at, () => ({ progress: { kind: 'error', message: answer.message } }));
          return;
        }
        await follow(at, id);
      },
    };
  };
