/**
 * Dropping image loads that a view queued but no longer needs.
 *
 * Only the image load pool may be filtered. Its queued entries are thunks that have not yet
 * asked the image loader for anything, so dropping one leaves no trace. The retrieval pool is
 * different: its entries belong to a load whose promise already sits in Cornerstone's image
 * cache, and dropping the fetch leaves that promise pending for ever. The next view to want the
 * image (a volume opened over the stack, the stack again after MPR) is handed the same pending
 * promise and stalls with it, holding a slot of the load pool. Loads that have started are
 * therefore left to finish into the cache, where the next view finds them.
 */
import { imageLoadPoolManager } from '@cornerstonejs/core';

export interface QueuedLoadDetails {
  imageId?: unknown;
  volumeId?: unknown;
}

/** Removes the not-yet-started loads for which `isUnwanted` holds. */
export function dropQueuedLoads(isUnwanted: (details: QueuedLoadDetails) => boolean): void {
  imageLoadPoolManager.filterRequests((request) => !isUnwanted((request.additionalDetails ?? {}) as QueuedLoadDetails));
}
