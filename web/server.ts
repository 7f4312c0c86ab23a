// `npm run web`: the same backend and UI in a browser at 127.0.0.1, for machines without the desktop app.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { defaultStoreDir } from '../core/paths.js';
import { ApiFailure } from '../shared/contract/failure.js';
import { createWebApp } from './app.js';
import { parseTestClock, testClockWarning, TEST_CLOCK_ENV, type TestClock } from '../core/test-clock.js';


const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    port: { type: 'string', default: process.env.AGENCYDESK_PORT ?? '4319' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('Usage: npm run web -- [--store DIR] [--port N]   (port 0 = any free port)');
  process.exit(0);
}

const storeDir = values.store ? path.resolve(values.store) : defaultStoreDir();
const here = path.dirname(fileURLToPath(import.meta.url));
const staticDir = path.resolve(here, '../renderer');

// Only this host reads the test clock (end-to-end journeys through quiet hours); Electron and the CLI never do.
let testClock: TestClock | undefined;
const clockSetting = process.env[TEST_CLOCK_ENV];
if (clockSetting !== undefined && clockSetting !== '') {
  try {
    testClock = parseTestClock(clockSetting);
  } catch (e) {
    console.error(`agencydesk web: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  console.error(testClockWarning(testClock));
}

let backend: Backend;
try {
  backend = createBackend({ storeDir, host: 'web', ...(testClock ? { testClock } : {}) });
} catch (e) {
  console.error(`agencydesk web: ${e instanceof ApiFailure ? e.message : String(e)}`);
  process.exit(1);
}
const token = randomBytes(32).toString('base64url');
const server = createHttpServer();
const app = createWebApp({ backend, token, staticDir, port: () => (server.address() as AddressInfo).port });
server.on('request', (req, res) => {
  app(req, res).catch((e: unknown) => {
    console.error('[agencydesk] web request failed:', e instanceof Error ? e.stack : e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  // The token travels in the fragment: browsers never send it to a server or in a Referer.
  console.log(`AgencyDesk web: http://127.0.0.1:${port}/#token=${token}`);
  console.log(`Store: ${storeDir}`);
});

function shutdown() {
  server.close();
  backend.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
