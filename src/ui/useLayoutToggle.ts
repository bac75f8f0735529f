/**
 * The stack ↔ MPR switch (button and key M), and what the gateway's site list tells the imaging
 * code (memory budget, which sites serve frame byte ranges), put in force whenever the viewer is
 * on screen.
 */
import { useCallback, useEffect } from 'react';
import { applyCacheBudget, setByteRangeSites } from '../imaging/index';
import { useCrossview, useCrossviewStore } from './storeContext';

export function useLayoutToggle() {
  const store = useCrossviewStore();
  const layoutMode = useCrossview((s) => s.layoutMode);
  const layoutNotice = useCrossview((s) => s.layoutNotice);
  const budget = useCrossview((s) => s.cacheBudgetBytes);
  const sites = useCrossview((s) => s.sites);
  const toggle = useCallback(() => {
    const state = store.getState();
    state.setLayoutMode(state.layoutMode === 'mpr' ? 'stack' : 'mpr');
  }, [store]);

  useEffect(() => {
    void applyCacheBudget(budget);
  }, [budget]);

  useEffect(() => {
    setByteRangeSites(Object.values(sites).filter((site) => site.frameByteRanges).map((site) => site.dicomwebRoot));
  }, [sites]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'm' && event.key !== 'M') return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target instanceof HTMLElement && (['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName) || event.target.isContentEditable)) return;
      if (store.getState().viewports.length === 0) return;
      event.preventDefault();
      toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, toggle]);

  return { layoutMode, layoutNotice, toggle };
}
