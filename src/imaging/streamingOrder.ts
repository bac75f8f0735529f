/**
 * The order a volume's slices are fetched in: the slice on screen first, then a coarse pass over
 * the whole volume (every 8th slice, then every 4th, every 2nd) and finally the rest, each pass
 * going outward from the slice on screen. Reformatted views therefore show the whole extent early
 * and sharpen as the gaps fill, while the view the user is reading fills first.
 */
export function streamingOrder(total: number, start: number, strides: readonly number[] = [8, 4, 2, 1]): number[] {
  if (total <= 0) return [];
  const centre = Math.max(0, Math.min(total - 1, Math.round(start)));
  const order: number[] = [centre];
  const taken = new Set(order);
  for (const stride of strides) {
    for (let d = stride; d < total; d += stride) {
      for (const index of [centre + d, centre - d]) {
        if (index < 0 || index >= total || taken.has(index)) continue;
        taken.add(index);
        order.push(index);
      }
    }
  }
  // A stride list without 1 still yields every slice.
  for (let index = 0; index < total; index++) if (!taken.has(index)) order.push(index);
  return order;
}
