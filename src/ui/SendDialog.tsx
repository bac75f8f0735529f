import { useShallow } from 'zustand/react/shallow';
import type { SendState } from '../store/index';
import { useCrossview, useCrossviewStore } from './storeContext';

type OpenSend = Extract<SendState, { kind: 'open' }>;

/** Who the study will be at the target, or why it cannot be sent there. */
function TargetIdentity({ send, targetName }: { send: OpenSend; targetName: string }) {
  const nationalIdIssuer = useCrossview((s) => s.nationalIdIssuer);
  const { plan } = send;
  if (plan.kind === 'none') return null;
  if (plan.kind === 'loading') return <p className="muted">Looking up the patient at {targetName}…</p>;
  if (plan.kind === 'error') return <p className="error" role="alert">{plan.message}</p>;
  const target = plan.plan.target;
  if (target.kind === 'unknown-at-target') {
    return (
      <p className="error" role="alert" data-send-refused="">
        Cannot send: {target.reason}
      </p>
    );
  }
  return (
    <p data-send-target-patient={target.PatientID}>
      Filed at {targetName} as <strong>{target.PatientID}</strong> ({target.IssuerOfPatientID}), found by {nationalIdIssuer} number {target.nationalId}. The original IDs are kept in the
      images.
    </p>
  );
}

function Progress({ send }: { send: OpenSend }) {
  const store = useCrossviewStore();
  const { progress } = send;
  if (progress.kind === 'none') return null;
  if (progress.kind === 'starting') return <p className="muted">Starting…</p>;
  if (progress.kind === 'error') return <p className="error" role="alert">{progress.message}</p>;
  const { status } = progress;
  const failures = status.instances.filter((i) => i.outcome === 'failed');
  const finished = status.state === 'done' || status.state === 'failed-partly';
  return (
    <div>
      <p data-send-progress={`${status.sent}/${status.total}`} data-sent={status.sent} data-total={status.total}>
        {status.sent} of {status.total} sent{status.failed > 0 ? `, ${status.failed} failed` : ''}
        {!finished && '…'}
        {status.state === 'done' && ' — done'}
      </p>
      {failures.length > 0 && finished && (
        <>
          <ul className="send-failures" data-send-failures={failures.length}>
            {failures.slice(0, 50).map((f) => (
              <li key={f.SOPInstanceUID} className="error">
                <code>{f.SOPInstanceUID}</code>: {f.reason}
              </li>
            ))}
            {failures.length > 50 && <li className="muted">and {failures.length - 50} more</li>}
          </ul>
          <button type="button" data-send-retry="" onClick={() => void store.getState().retrySend()}>
            Retry {failures.length} failed
          </button>
        </>
      )}
    </div>
  );
}

/** "Send to…": copies one study to another hospital the user may see. */
export function SendDialog() {
  const store = useCrossviewStore();
  const send = useCrossview((s) => s.send);
  const sites = useCrossview((s) => s.sites);
  const siteOrder = useCrossview(useShallow((s) => s.siteOrder));
  if (send.kind !== 'open') return null;
  const targets = siteOrder.filter((id) => id !== send.fromSiteId);
  const status = send.progress.kind === 'following' ? send.progress.status : undefined;
  const dataState = !status ? 'idle' : status.state === 'done' ? 'done' : status.state === 'failed-partly' ? 'failed' : 'running';
  const canSend = send.plan.kind === 'ready' && send.plan.plan.target.kind === 'linked' && send.progress.kind === 'none';
  const targetName = send.toSiteId ? (sites[send.toSiteId]?.name ?? send.toSiteId) : '';
  return (
    <div className="send-dialog" role="dialog" aria-label="Send study to another hospital" data-send-dialog={send.studyUid} data-send-state={dataState}>
      <h2>Send from {sites[send.fromSiteId]?.name ?? send.fromSiteId}</h2>
      <label>
        To{' '}
        <select
          data-send-target=""
          value={send.toSiteId ?? ''}
          disabled={send.progress.kind !== 'none'}
          onChange={(event) => void store.getState().chooseSendTarget(event.target.value)}
        >
          <option value="" disabled>
            Choose a hospital…
          </option>
          {targets.map((id) => (
            <option key={id} value={id}>
              {sites[id]?.name ?? id}
            </option>
          ))}
        </select>
      </label>
      <TargetIdentity send={send} targetName={targetName} />
      <Progress send={send} />
      <div className="send-actions">
        {send.progress.kind === 'none' && (
          <button type="button" data-send-start="" disabled={!canSend} onClick={() => void store.getState().startSend()}>
            Send
          </button>
        )}
        <button type="button" data-send-close="" onClick={() => store.getState().closeSend()}>
          {dataState === 'running' ? 'Hide (the send goes on)' : 'Close'}
        </button>
      </div>
    </div>
  );
}
