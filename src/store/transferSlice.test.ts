import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransferPlan, TransferStatus } from '../contracts/index';
import { createCrossviewStore } from './store';

const origin = 'http://gateway.test';
const studyUid = '1.2.3';

function status(state: TransferStatus['state'], outcomes: ('ok' | 'failed' | 'pending')[]): TransferStatus {
  const instances = outcomes.map((outcome, i) => ({ SOPInstanceUID: `1.2.3.${i}`, SeriesInstanceUID: '1.2.3.9', outcome, ...(outcome === 'failed' ? { reason: 'storing at the target: HTTP 502' } : {}) }));
  return {
    id: 't1',
    studyUid,
    fromSiteId: 'site-a',
    toSiteId: 'site-c',
    state,
    total: outcomes.length,
    sent: outcomes.filter((o) => o === 'ok').length,
    failed: outcomes.filter((o) => o === 'failed').length,
    targetPatientID: '5526506',
    targetIssuerOfPatientID: 'MII',
    instances,
  };
}

/** A gateway whose transfer answers come from `statuses` in order (the last one repeats). */
function fakeGateway(plan: TransferPlan['target'], statuses: TransferStatus[]) {
  const calls: string[] = [];
  const json = (body: unknown, statusCode = 200) => new Response(JSON.stringify(body), { status: statusCode, headers: { 'content-type': 'application/json' } });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      const method = init?.method ?? 'GET';
      calls.push(`${method} ${url.pathname}`);
      if (url.pathname === '/api/transfers/plan') return json({ studyUid, fromSiteId: 'site-a', toSiteId: url.searchParams.get('toSiteId'), target: plan });
      if (url.pathname === '/api/transfers' && method === 'POST') return json({ id: 't1' }, 202);
      if (url.pathname === '/api/transfers/t1/retry') return json({ id: 't1' }, 202);
      if (url.pathname === '/api/transfers/t1') return json(statuses.length > 1 ? statuses.shift() : statuses[0]);
      return json({ error: 'unexpected' }, 404);
    }),
  );
  return { calls, statuses };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('transfer slice', () => {
  it('plans, sends, follows to failed-partly, and a retry follows to done', async () => {
    const gateway = fakeGateway({ kind: 'linked', PatientID: '5526506', IssuerOfPatientID: 'MII', nationalId: '9990764875' }, [
      status('running', ['ok', 'pending', 'pending']),
      status('failed-partly', ['ok', 'ok', 'failed']),
    ]);
    const store = createCrossviewStore(origin);
    store.getState().openSend(studyUid, 'site-a');
    await store.getState().chooseSendTarget('site-c');
    const planned = store.getState().send;
    expect(planned.kind === 'open' && planned.plan.kind === 'ready' && planned.plan.plan.target).toMatchObject({ kind: 'linked', PatientID: '5526506' });

    await store.getState().startSend();
    const partly = store.getState().send;
    expect(partly.kind === 'open' && partly.progress.kind === 'following' && partly.progress.status).toMatchObject({ state: 'failed-partly', sent: 2, failed: 1 });

    gateway.statuses.splice(0, gateway.statuses.length, status('running', ['ok', 'ok', 'pending']), status('done', ['ok', 'ok', 'ok']));
    await store.getState().retrySend();
    const done = store.getState().send;
    expect(done.kind === 'open' && done.progress.kind === 'following' && done.progress.status).toMatchObject({ state: 'done', sent: 3, failed: 0 });
    expect(gateway.calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /api/transfers', 'POST /api/transfers/t1/retry']);
  });

  it('does not start a send the gateway refused to plan', async () => {
    const gateway = fakeGateway({ kind: 'unknown-at-target', reason: 'Meadow has no patient with this NHS number' }, [status('done', [])]);
    const store = createCrossviewStore(origin);
    store.getState().openSend(studyUid, 'site-a');
    await store.getState().chooseSendTarget('site-c');
    await store.getState().startSend();
    const send = store.getState().send;
    expect(send.kind === 'open' && send.progress.kind).toBe('none');
    expect(gateway.calls.some((c) => c.startsWith('POST'))).toBe(false);
  });

  it('drops answers for a dialog that was closed', async () => {
    fakeGateway({ kind: 'linked', PatientID: '5526506', IssuerOfPatientID: 'MII', nationalId: '9990764875' }, [status('done', ['ok'])]);
    const store = createCrossviewStore(origin);
    store.getState().openSend(studyUid, 'site-a');
    const planning = store.getState().chooseSendTarget('site-c');
    store.getState().closeSend();
    await planning;
    expect(store.getState().send).toEqual({ kind: 'closed' });
  });
});
