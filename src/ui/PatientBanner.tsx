import { formatDicomDate, formatPersonName } from '../patients/index';
import { useCrossview } from './storeContext';

/** Who is on screen and why we believe these studies are theirs. */
export function PatientBanner() {
  const query = useCrossview((s) => s.query);
  const first = useCrossview((s) => s.timeline[0]);
  const search = useCrossview((s) => s.search);
  const warnings = useCrossview((s) => s.identityWarnings);
  if (!query) return null;
  const identity =
    query.kind === 'national'
      ? `${query.issuer} ${query.nationalId.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3')}`
      : query.kind === 'local'
        ? `${query.patientId} (${query.issuer})`
        : `searched by name ${formatPersonName(query.PatientName)} and birth date ${formatDicomDate(query.PatientBirthDate)}`;
  const basis = { national: 'linked by national ID', local: 'linked by local ID + issuer', demographics: 'nothing linked until you confirm a match' }[query.kind];
  return (
    <header className="patient-banner" aria-label="Patient">
      <strong className="patient-name">{first ? formatPersonName(first.PatientName) : search === 'searching' ? 'Searching every hospital…' : 'No studies found'}</strong>
      {first?.PatientBirthDate && <span>Born {formatDicomDate(first.PatientBirthDate)}</span>}
      <span className="identity">{identity}</span>
      <span className="basis" title="How the studies below were linked to this patient">
        {basis}
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
