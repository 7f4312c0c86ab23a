// Entry of the backend utility process (dist/electron/backend-host.mjs), forked by main.ts.
// Runs core's backend on the store folder and answers the main process over process.parentPort.
import { createBackend } from '../core/backend.js';
import { parseHostConfig, type FromBackend } from './backend-protocol.js';
import { startBackendService } from './backend-service.js';

const port = process.parentPort;
const post = (msg: FromBackend) => port.postMessage(msg);
// Give a last message time to leave before the process ends.
const exit = (code: number) => setTimeout(() => process.exit(code), 200);

const config = parseHostConfig(process.argv, process.env);
if (!config) {
  post({ type: 'startup-error', error: { code: 'INTERNAL', message: 'backend-host started without a store folder.' } });
  exit(2);
} else {
  const service = startBackendService({
    create: () => createBackend({ storeDir: config.storeDir, host: 'desktop', nativeBinding: config.nativeBinding }),
    post,
    exit,
  });
  if (service.running) port.on('message', (event) => void service.onMessage(event.data));
}
