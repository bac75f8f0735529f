/** Entry point: the app is wired here explicitly (no registries). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createCrossviewStore, type MeasurementArchive } from './store/index';
import { App } from './ui/index';

const root = document.getElementById('root');
if (!root) throw new Error('main: #root element missing from index.html');

// Imaging (Cornerstone3D, most of the code) is loaded on first use, never before the timeline.
const imaging = () => import('./imaging/index');
const measurementArchive: MeasurementArchive = {
  find: async (StudyInstanceUID, sites) => (await imaging()).measurementArchive.find(StudyInstanceUID, sites),
  store: async (site, report) => (await imaging()).measurementArchive.store(site, report),
};

const store = createCrossviewStore(window.location.origin, measurementArchive);
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
