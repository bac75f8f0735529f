/**
 * The browser's side of `/api/transfers`: ask what a send would do, start it, follow it, retry
 * its failures. Every answer is a value; a refusal carries the gateway's reason (which names
 * sites and counts, never the patient). State-changing calls carry the CSRF token.
 */
import {
  TransferCreatedSchema,
  TransferPlanPath,
  TransferPlanSchema,
  TransfersPath,
  TransferStatusSchema,
  transferPathFor,
  type TransferCreated,
  type TransferPlan,
  type TransferRequest,
  type TransferStatus,
} from '../contracts/index';
import { csrfHeaders } from './gatewaySession';

export type TransferAnswer<T> = { kind: 'ok'; value: T } | { kind: 'refused'; status: number; message: string } | { kind: 'error'; message: string };

interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

async function call<T>(url: string, init: RequestInit, schema: Parser<T>, fetchFn: typeof fetch): Promise<TransferAnswer<T>> {
  try {
    const response = await fetchFn(url, { credentials: 'same-origin', ...init, headers: { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) } });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = (body as { error?: unknown } | undefined)?.error;
      return { kind: 'refused', status: response.status, message: typeof error === 'string' ? error : `The gateway answered ${response.status}` };
    }
    const parsed = schema.safeParse(body);
    return parsed.success ? { kind: 'ok', value: parsed.data } : { kind: 'error', message: 'The gateway sent a transfer answer this viewer does not understand' };
  } catch (error) {
    return { kind: 'error', message: `The gateway could not be reached: ${(error as Error).message}` };
  }
}

/** `GET /api/transfers/plan`: who the study would be filed as at the target. */
export function planTransfer(origin: string, request: TransferRequest, fetchFn: typeof fetch = fetch): Promise<TransferAnswer<TransferPlan>> {
  const query = new URLSearchParams({ studyUid: request.studyUid, fromSiteId: request.fromSiteId, toSiteId: request.toSiteId });
  return call(new URL(`${TransferPlanPath}?${query}`, origin).href, {}, TransferPlanSchema, fetchFn);
}

/** `POST /api/transfers`. */
export function startTransfer(origin: string, request: TransferRequest, fetchFn: typeof fetch = fetch): Promise<TransferAnswer<TransferCreated>> {
  return call(
    new URL(TransfersPath, origin).href,
    { method: 'POST', headers: { 'Content-Type': 'application/json', ...csrfHeaders() }, body: JSON.stringify(request) },
    TransferCreatedSchema,
    fetchFn,
  );
}

/** `GET /api/transfers/:id`. */
export function transferStatus(origin: string, id: string, fetchFn: typeof fetch = fetch): Promise<TransferAnswer<TransferStatus>> {
  return call(new URL(transferPathFor(id), origin).href, {}, TransferStatusSchema, fetchFn);
}

/** `POST /api/transfers/:id/retry`: re-sends the failed instances only. */
export function retryTransfer(origin: string, id: string, fetchFn: typeof fetch = fetch): Promise<TransferAnswer<TransferCreated>> {
  return call(new URL(`${transferPathFor(id)}/retry`, origin).href, { method: 'POST', headers: csrfHeaders() }, TransferCreatedSchema, fetchFn);
}
