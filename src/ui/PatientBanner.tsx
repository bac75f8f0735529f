import { formatDicomDate, formatPersonName } from '../patients/index';
import { useCrossview } from './storeContext';

/** Who is on screen and why we believe these studies are theirs. */
export function PatientBanner() {
  const query = useCrossview((s) => s.query);
  const first = useCrossview((s) => s.timeline[0]);
  const search = useCrossview((s) => s.search);
  const warnings = useCrossview((s) => s.identityWarnings);
  if (!query) return null;
  const identity = query.kind === 'national' ? `${query.issuer} ${query.nationalId.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3')}` : `${query.patientId} (${query.issuer})`;
  return (
    <header className="patient-banner" aria-label="Patient">
      <strong className="patient-name">{first ? formatPersonName(first.PatientName) : search === 'searching' ? 'Searching every hospital…' : 'No studies found'}</strong>
      {first?.PatientBirthDate && <span>Born {formatDicomDate(first.PatientBirthDate)}</span>}
      <span className="identity">{identity}</span>
      <span className="basis" title="How the studies below were linked to this patient">
        linked by {query.kind === 'national' ? 'national ID' : 'local ID + issuer'}
      </span>
      {warnings.length > 0 && (
        <ul className="identity-warnings" role="alert">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </header>
  );
}
