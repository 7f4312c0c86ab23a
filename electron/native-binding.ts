// Which better_sqlite3.node the desktop backend loads. Pure: no `electron` import.
// node_modules holds the build for the system Node (the tests use it) and must not be rebuilt in place, so
// scripts/electron-native.mjs makes an Electron-ABI copy under native/electron/<electronVersion>/. Development
// loads it from the repository; a packaged app ships the same file as an extra resource (electron-builder.yml,
// with npmRebuild off) and loads it from process.resourcesPath.
import path from 'node:path';

export const NATIVE_FILE = 'better_sqlite3.node';

export function devNativeBindingPath(appRoot: string, electronVersion: string): string {
  return path.join(appRoot, 'native', 'electron', electronVersion, NATIVE_FILE);
}

export function packagedNativeBindingPath(resourcesPath: string, electronVersion: string): string {
  return path.join(resourcesPath, 'native', 'electron', electronVersion, NATIVE_FILE);
}

export interface NativeBindingInput {
  isPackaged: boolean;
  appRoot: string;
  /** process.resourcesPath (only meaningful when packaged). */
  resourcesPath: string;
  electronVersion: string;
  env: Record<string, string | undefined>;
}

/** The binding path; AGENCYDESK_NATIVE_BINDING overrides it in development only. A packaged app ignores it:
 *  otherwise anyone who can set an environment variable could load any .node file into the backend, which
 *  holds the store's key. */
export function nativeBindingFor(input: NativeBindingInput): string {
  if (!input.isPackaged && input.env.AGENCYDESK_NATIVE_BINDING) return path.resolve(input.env.AGENCYDESK_NATIVE_BINDING);
  return input.isPackaged ? packagedNativeBindingPath(input.resourcesPath, input.electronVersion) : devNativeBindingPath(input.appRoot, input.electronVersion);
}
