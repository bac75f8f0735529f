/**
 * The browser's side of `/api/imports`: plan an import of local files, stage each instance's
 * bytes, commit, discard. Every answer is a value; a refusal carries the gateway's reason (sites,
 * counts and what to do, never patient data). State-changing calls carry the CSRF token.
 */
import {
  ImportPlanSchema,
  ImportResultSchema,
  ImportsPath,
  ImportStagedSchema,
  importInstancePathFor,
  importPathFor,
  type ImportMatchBasis,
  type ImportPlan,
  type ImportRequest,
  type ImportResult,
  type ImportStaged,
} from '../contracts/index';
import { csrfHeaders } from './gatewaySession';

export type ImportAnswer<T> = { kind: 'ok'; value: T } | { kind: 'refused'; status: number; message: string } | { kind: 'error'; message: string };

interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

async function call<T>(url: string, init: RequestInit, schema: Parser<T> | undefined, fetchFn: typeof fetch): Promise<ImportAnswer<T>> {
  try {
    const response = await fetchFn(url, { credentials: 'same-origin', ...init, headers: { Accept: 'application/json', ...csrfHeaders(), ...(init.headers as Record<string, string> | undefined) } });
    const body: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = (body as { error?: unknown } | undefined)?.error;
      return { kind: 'refused', status: response.status, message: typeof error === 'string' ? error : `The gateway answered ${response.status}` };
    }
    if (!schema) return { kind: 'ok', value: undefined as T };
    const parsed = schema.safeParse(body);
    return parsed.success ? { kind: 'ok', value: parsed.data } : { kind: 'error', message: 'The gateway sent an import answer this viewer does not understand' };
  } catch (error) {
    return { kind: 'error', message: `The gateway could not be reached: ${(error as Error).message}` };
  }
}

/** `POST /api/imports`: who the study would be at the site, and what changes in its attributes. */
export function planImport(origin: string, request: ImportRequest, fetchFn: typeof fetch = fetch): Promise<ImportAnswer<ImportPlan>> {
  return call(new URL(ImportsPath, origin).href, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) }, ImportPlanSchema, fetchFn);
}

/** `PUT /api/imports/:id/instances/:SOPInstanceUID`: one Part-10 file into the gateway's staging (nothing reaches the site yet). */
export function stageImportInstance(origin: string, id: string, SOPInstanceUID: string, bytes: Uint8Array, fetchFn: typeof fetch = fetch): Promise<ImportAnswer<ImportStaged>> {
  return call(
    new URL(importInstancePathFor(id, SOPInstanceUID), origin).href,
    { method: 'PUT', headers: { 'Content-Type': 'application/dicom' }, body: bytes as Uint8Array<ArrayBuffer> },
    ImportStagedSchema,
    fetchFn,
  );
}

/** `POST /api/imports/:id/commit`: stores every staged instance at the site; the basis is the one the user confirmed. */
export function commitImport(origin: string, id: string, confirmedBasis: ImportMatchBasis, fetchFn: typeof fetch = fetch): Promise<ImportAnswer<ImportResult>> {
  return call(
    new URL(`${importPathFor(id)}/commit`, origin).href,
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ confirmedBasis }) },
    ImportResultSchema,
    fetchFn,
  );
}

/** `DELETE /api/imports/:id`: drops the staging. */
export function discardImport(origin: string, id: string, fetchFn: typeof fetch = fetch): Promise<ImportAnswer<void>> {
  return call(new URL(importPathFor(id), origin).href, { method: 'DELETE' }, undefined, fetchFn);
}
