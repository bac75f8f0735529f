/** Entry point: the app is wired here explicitly (no registries). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { measurementArchive } from './imaging/index';
import { createCrossviewStore } from './store/index';
import { App } from './ui/index';

const root = document.getElementById('root');
if (!root) throw new Error('main: #root element missing from index.html');

const store = createCrossviewStore(window.location.origin, measurementArchive);
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
