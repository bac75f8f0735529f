import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { CrossviewState, CrossviewStore } from '../store/index';

export const StoreContext = createContext<CrossviewStore | null>(null);

export function useCrossviewStore(): CrossviewStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useCrossviewStore: no StoreContext provider above this component');
  return store;
}

/** One selector per value, as zustand recommends; derived lists use useShallow at the call site. */
export function useCrossview<T>(selector: (state: CrossviewState) => T): T {
  return useStore(useCrossviewStore(), selector);
}
