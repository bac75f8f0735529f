import { formatDicomDate, formatPersonName } from '../patients/index';
import { textOf } from '../sites/index';
import { useCrossview, useCrossviewStore } from './storeContext';

/**
 * Records that agree with the patient on demographics only. They stay apart, each with the
 * reasons it might be the same person, until a clinician confirms it.
 */
export function PossibleMatches() {
  const store = useCrossviewStore();
  const matches = useCrossview((s) => s.possibleMatches);
  const sites = useCrossview((s) => s.sites);
  if (matches.length === 0) return null;
  return (
    <section className="possible-matches" data-possible-match="true" aria-label="Possible matches">
      <h3>Possible matches — not linked</h3>
      <p className="muted">These records share demographics with this patient but no identifier. Check before linking.</p>
      <ol>
        {matches.map((match) => {
          const uid = textOf(match.record, 'StudyInstanceUID') ?? '';
          return (
            <li key={`${match.siteId}|${uid}`} data-timeline-study={uid} data-site-id={match.siteId}>
              <div className="possible-record">
                <span>{formatDicomDate(textOf(match.record, 'StudyDate') ?? '')}</span>
                <span>{textOf(match.record, 'StudyDescription') || 'No description'}</span>
                <span className="site-badge">{sites[match.siteId]?.name ?? match.siteId}</span>
                <span>
                  {formatPersonName(textOf(match.record, 'PatientName') ?? '')} · born {formatDicomDate(textOf(match.record, 'PatientBirthDate') ?? '')} ·{' '}
                  {textOf(match.record, 'PatientID')} ({textOf(match.record, 'IssuerOfPatientID') ?? match.siteIssuer})
                </span>
                <span className="muted">Why: {match.reasons.join(', ')}</span>
              </div>
              <button type="button" className="confirm-match" onClick={() => store.getState().confirmPossibleMatch(match.siteId, uid)}>
                Same patient — link
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
