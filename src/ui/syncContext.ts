import { createContext } from 'react';
import type { ViewportSync } from '../imaging/index';

/** The stage's sync groups by id; a cell joins the ones its protocol viewport names. */
export const SyncContext = createContext<ReadonlyMap<string, ViewportSync>>(new Map());
