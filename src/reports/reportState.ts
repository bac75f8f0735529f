/**
 * A report's state as every screen shows it. Only a COMPLETE and VERIFIED SR is final
 * (PS3.3 C.17.2: CompletionFlag, VerificationFlag); anything else a clinician must read as
 * preliminary. A study with no report document anywhere is `missing`, never silent.
 */
export type ReportState = 'final' | 'preliminary' | 'missing';

export function reportStateOf(report: { CompletionFlag?: string; VerificationFlag?: string } | undefined): ReportState {
  if (!report) return 'missing';
  return report.CompletionFlag === 'COMPLETE' && report.VerificationFlag === 'VERIFIED' ? 'final' : 'preliminary';
}

/**
 * An encapsulated document (PDF) has no CompletionFlag; its Encapsulated Document module may
 * carry VerificationFlag (PS3.3 C.24.2, type 3). Only VERIFIED is final: a PDF that does not say
 * it was verified is read as preliminary, whatever its text claims.
 */
export function documentStateOf(document: { VerificationFlag?: string }): Exclude<ReportState, 'missing'> {
  return document.VerificationFlag === 'VERIFIED' ? 'final' : 'preliminary';
}
