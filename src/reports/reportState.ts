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
