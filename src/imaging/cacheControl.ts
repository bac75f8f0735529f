/**
 * Puts the one image memory budget (config `viewer.cacheBudgetMiB`, via the site list) in force.
 * Cornerstone then evicts the least recently used decoded images beyond it; the images on screen
 * are the most recently used, so they stay.
 */
import { cache } from '@cornerstonejs/core';
import { initImaging } from './init';

export async function applyCacheBudget(bytes: number): Promise<void> {
  if (!Number.isFinite(bytes) || bytes <= 0) throw new Error(`applyCacheBudget: budget must be a positive number of bytes, got ${bytes}`);
  await initImaging();
  if (cache.getMaxCacheSize() !== bytes) cache.setMaxCacheSize(bytes);
}
