/**
 * Deterministic DICOM UIDs. Each is `2.25.<decimal>` where the decimal is a UUID (version 8,
 * "custom") built from a SHA-256 of the seed and a label, so the same seed and label always
 * give the same UID, different seeds give different ones, and every UID stays ≤ 44 characters
 * with no leading zeros (PS3.5 §9.1, §B.2).
 */
import { createHash } from 'node:crypto';

export type UidFactory = (label: string) => string;

export function uidFromText(text: string): string {
  const bytes = createHash('sha256').update(text).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80; // UUID version 8
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const value = BigInt(`0x${bytes.toString('hex')}`);
  return `2.25.${value.toString(10)}`;
}

export function createUidFactory(seed: number): UidFactory {
  return (label) => uidFromText(`crossview-demo|${seed}|${label}`);
}

/** Identifies the software that wrote the files; independent of the seed. */
export const ImplementationClassUID = uidFromText('crossview-demo|implementation|1');
export const ImplementationVersionName = 'CROSSVIEW_DEMO1';

export function isValidUid(uid: string): boolean {
  return uid.length <= 64 && /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/.test(uid);
}
