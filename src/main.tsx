// The lab's entry point: the store, the training worker, the controller, and the React tree.
import './worker/noEval'; // first: before any zod parse
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/components/App';
import { LabContext } from './ui/components/LabContext';
import { Lab } from './ui/lab';
import { startPerf } from './ui/perf';
import { addNotice, labStore } from './ui/store/labStore';
import './ui/styles.css';

startPerf();
const worker = new Worker(new URL('./worker/labWorker.ts', import.meta.url), { type: 'module', name: 'misstep-lab' });
const lab = new Lab(labStore, worker);
(window as Window & { __misstepLab?: Lab }).__misstepLab = lab; // for the console and the end-to-end tests

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LabContext.Provider value={lab}>
      <App />
    </LabContext.Provider>
  </StrictMode>,
);

lab.boot(location.search).catch((e: unknown) => {
  addNotice(labStore, `The lab could not start: ${e instanceof Error ? e.message : String(e)}`, 'error');
});
