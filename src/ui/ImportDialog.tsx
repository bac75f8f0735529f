import { useShallow } from 'zustand/react/shallow';
import type { ImportStep } from '../store/index';
import { useCrossview, useCrossviewStore } from './storeContext';

/** How many failed instances or files are listed before "and N more". */
const Listed = 50;

function MatchAndChanges({ step, siteName }: { step: Extract<ImportStep, { kind: 'planned' | 'staging' | 'committing' | 'done' | 'failed' }>; siteName: string }) {
  const store = useCrossviewStore();
  const nationalIdIssuer = useCrossview((s) => s.nationalIdIssuer);
  const { match, changes } = step.plan;
  if (match.basis === 'none') return null;
  const basisText = match.basis === 'national-id' ? `matched by ${nationalIdIssuer} number ${match.nationalId ?? ''}` : 'matched by name and birth date only';
  return (
    <div data-import-match-basis={match.basis}>
      <p>
        Filed at {siteName} as <strong>{match.PatientID}</strong> ({match.IssuerOfPatientID}){match.PatientName ? `, ${match.PatientName.replace(/\^/g, ' ').trim()}` : ''} — {basisText}.
      </p>
      {match.basis === 'demographics' && step.kind === 'planned' && (
        <label className="error">
          <input type="checkbox" data-import-confirm="" checked={step.confirmed} onChange={(event) => store.getState().confirmImportMatch(event.target.checked)} /> No {nationalIdIssuer} number links
          these files to {siteName}&apos;s patient: I have checked this is the same person.
        </label>
      )}
      {changes.length > 0 ? (
        <table className="import-changes">
          <caption>Changes written into every image ({siteName}&apos;s record wins; the files&apos; values are kept in OriginalAttributesSequence)</caption>
          <thead>
            <tr>
              <th>Attribute</th>
              <th>In the files</th>
              <th>At {siteName}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change) => (
              <tr key={change.attribute} data-import-change={change.attribute}>
                <td>{change.attribute}</td>
                <td>{change.from || '—'}</td>
                <td>{change.to}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">The files already carry {siteName}&apos;s identity: nothing changes.</p>
      )}
    </div>
  );
}

function Outcome({ step, siteName }: { step: ImportStep; siteName: string }) {
  const store = useCrossviewStore();
  if (step.kind === 'staging') {
    return (
      <p data-import-progress={`${step.done}/${step.total}`}>
        Uploading to the gateway (nothing is stored at {siteName} until all are there): {step.done} of {step.total}
        <progress max={step.total} value={step.done} aria-label="Files uploaded" />
      </p>
    );
  }
  if (step.kind === 'committing') return <p className="muted"><span className="spinner" /> Storing at {siteName}…</p>;
  if (step.kind === 'done') {
    return (
      <p data-import-stored={step.result.stored}>
        Done: {step.result.stored} of {step.result.total} instances stored at {siteName}.
      </p>
    );
  }
  if (step.kind !== 'failed') return null;
  const failures = step.result?.instances.filter((i) => i.outcome === 'failed') ?? [];
  const stored = step.result?.instances.filter((i) => i.outcome === 'stored') ?? [];
  return (
    <div role="alert">
      <p className="error">{step.message}</p>
      {step.result?.note && <p className="error" data-import-note="">{step.result.note}</p>}
      {step.failedFiles.length > 0 && (
        <ul className="send-failures">
          {step.failedFiles.slice(0, Listed).map((file) => (
            <li key={file.path} className="error" data-import-failed-file={file.path}>
              <strong>{file.path}</strong>: {file.reason}
            </li>
          ))}
        </ul>
      )}
      {failures.length > 0 && (
        <>
          <p>Not stored ({failures.length}):</p>
          <ul className="send-failures" data-import-failures={failures.length}>
            {failures.slice(0, Listed).map((f) => (
              <li key={f.SOPInstanceUID} className="error" data-import-failed={f.SOPInstanceUID}>
                <code>{f.SOPInstanceUID}</code>: {f.reason}
              </li>
            ))}
            {failures.length > Listed && <li className="muted">and {failures.length - Listed} more</li>}
          </ul>
        </>
      )}
      {stored.length > 0 && (
        <>
          <p>Stored at {siteName} ({stored.length}):</p>
          <ul className="send-failures" data-import-landed={stored.length}>
            {stored.slice(0, Listed).map((f) => (
              <li key={f.SOPInstanceUID} data-import-stored-instance={f.SOPInstanceUID}>
                <code>{f.SOPInstanceUID}</code>
              </li>
            ))}
            {stored.length > Listed && <li className="muted">and {stored.length - Listed} more</li>}
          </ul>
        </>
      )}
      {step.result && (
        <button type="button" data-import-commit-again="" onClick={() => void store.getState().commitImportAgain()}>
          Store the {failures.length} not stored
        </button>
      )}
    </div>
  );
}

/** "Import to…": stores a local study at a hospital the user may see, filed under that hospital's patient. */
export function ImportDialog() {
  const store = useCrossviewStore();
  const dialog = useCrossview((s) => s.importDialog);
  const sites = useCrossview((s) => s.sites);
  const siteOrder = useCrossview(useShallow((s) => s.siteOrder));
  if (dialog.kind !== 'open') return null;
  const { step } = dialog;
  const toSiteId = 'toSiteId' in step ? step.toSiteId : '';
  const siteName = toSiteId ? (sites[toSiteId]?.name ?? toSiteId) : '';
  const choosing = step.kind === 'choose' || step.kind === 'refused' || step.kind === 'planned';
  const dataState = step.kind === 'done' ? 'done' : step.kind === 'failed' ? 'failed' : step.kind === 'staging' || step.kind === 'committing' ? 'running' : 'idle';
  const canImport = step.kind === 'planned' && step.confirmed;
  return (
    <div className="send-dialog" role="dialog" aria-label="Import local files to a hospital" data-import-dialog={dialog.StudyInstanceUID} data-import-state={dataState}>
      <h2>Import local files</h2>
      <label>
        To{' '}
        <select data-import-target="" value={toSiteId} disabled={!choosing} onChange={(event) => void store.getState().chooseImportSite(event.target.value)}>
          <option value="" disabled>
            Choose a hospital…
          </option>
          {siteOrder.map((id) => (
            <option key={id} value={id}>
              {sites[id]?.name ?? id}
            </option>
          ))}
        </select>
      </label>
      {step.kind === 'planning' && <p className="muted">Looking for the patient at {siteName}…</p>}
      {step.kind === 'refused' && (
        <p className="error" role="alert" data-import-refused="">
          Cannot import: {step.message}
        </p>
      )}
      {step.kind !== 'choose' && step.kind !== 'planning' && step.kind !== 'refused' && <MatchAndChanges step={step} siteName={siteName} />}
      <Outcome step={step} siteName={siteName} />
      <div className="send-actions">
        {step.kind === 'planned' && step.plan.match.basis === 'national-id' && !step.confirmed && (
          <button type="button" data-import-confirm="" onClick={() => store.getState().confirmImportMatch(true)}>
            This is the patient
          </button>
        )}
        {(step.kind === 'planned' || step.kind === 'choose' || step.kind === 'refused') && (
          <button type="button" data-import-start="" disabled={!canImport} onClick={() => void store.getState().startImport()}>
            Import to {siteName || '…'}
          </button>
        )}
        <button type="button" data-import-close="" onClick={() => store.getState().closeImport()}>
          {step.kind === 'done' ? 'Close' : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
