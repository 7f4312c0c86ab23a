// Entry of the backend utility process (dist/electron/backend-host.mjs), forked by main.ts.
// Runs core's backend on the store folder and answers the main process over process.parentPort. When an
// admin serves this store to the office (serve.*), the team server's listener runs here too, over the same
// backend (server/serving.ts): the store is opened by this process only.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend, type Backend } from '../core/backend.js';
import { userDataDir } from '../core/paths.js';
import { createServing, withAutoServe } from '../server/serving.js';
import { parseHostConfig, type FromBackend } from './backend-protocol.js';
import { startBackendService } from './backend-service.js';

const port = process.parentPort;
const post = (msg: FromBackend) => port.postMessage(msg);
// Give a last message time to leave before the process ends.
const exit = (code: number) => setTimeout(() => process.exit(code), 200);
// dist/electron/backend-host.mjs → dist/renderer: the same UI the window shows, for the desks' browsers.
const staticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'renderer');

const config = parseHostConfig(process.argv, process.env);
if (!config) {
  post({ type: 'startup-error', error: { code: 'INTERNAL', message: 'backend-host started without a store folder.' } });
  exit(2);
} else {
  const service = startBackendService({
    create: () => {
      let backend: Backend | null = null;
      const serving = createServing({ backend: () => backend!, storeDir: config.storeDir, staticDir });
      // anchorDir: a copy of the audit anchor in the per-user app data folder, outside the store folder (core/audit/anchor-outside.ts).
      backend = createBackend({ storeDir: config.storeDir, host: 'desktop', nativeBinding: config.nativeBinding, serving, anchorDir: path.join(userDataDir(), 'anchors') });
      const b = backend;
      return {
        dispatch: withAutoServe((m, i, meta) => b.dispatch(m, i, meta), serving),
        close: () => {
          serving.closeNow();
          b.close();
        },
      };
    },
    post,
    exit,
  });
  if (service.running) port.on('message', (event) => void service.onMessage(event.data));
}
