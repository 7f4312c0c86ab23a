// Sandboxed preload (bundled to dist/electron/preload.cjs). Exposes exactly one object, window.agencydesk:
// { call, methods, host, pathForFile }. The page never sees ipcRenderer or any Node API.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_KEY } from '../shared/contract/bridge.js';
import { buildBridge } from './preload-api.js';

contextBridge.exposeInMainWorld(
  BRIDGE_KEY,
  buildBridge(
    (channel, request) => ipcRenderer.invoke(channel, request),
    (file) => webUtils.getPathForFile(file),
  ),
);
