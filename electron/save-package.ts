// "Save .zip…" for a report package in the desktop app: the page names the package by its export id (with
// its session), the backend says where that package is (`reports.package`: permission checked, audited),
// the user picks where to save in the system dialog, and the main process copies the .zip or zips the
// folder there. The page never names a path, so it cannot make the main process read any other file.
// On a desk connected to an office server (no store here) the package comes from the server instead, over the
// pinned connection: its name from the response's headers, its bytes held until the user chose where to save.
// Pure: main.ts passes Electron's dialog, the backend client and the office forwarder.
import { z } from 'zod';
import path from 'node:path';
import type { ApiRequest, Envelope } from '../shared/contract/envelope.js';
import type { OfficeForwarder } from './office-server.js';

export interface SavePackageDeps {
  isTrustedSender(frameUrl: string | null, webContentsId: number): boolean;
  callBackend(request: ApiRequest): Promise<Envelope<unknown>>;
  showSaveDialog(options: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string | undefined }>;
  copyFile(from: string, to: string): Promise<void>;
  zipFolder(dir: string, dest: string, folder: string): Promise<void>;
  downloadsDir(): string;
  /** The office server this desk works on (then the package is downloaded from it), null on its own store. */
  office?(): Pick<OfficeForwarder, 'openPackage'> | null;
}

const requestSchema = z.object({ exportId: z.number().int().positive(), session: z.string().min(1).max(200) }).strict();

export type SavePackageResult = Envelope<{ saved: boolean; path: string | null }>;

export function createSavePackageHandler(deps: SavePackageDeps) {
  return async (sender: { frameUrl: string | null; webContentsId: number }, raw: unknown): Promise<SavePackageResult> => {
    if (!deps.isTrustedSender(sender.frameUrl, sender.webContentsId)) return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not save packages.' } };
    const req = requestSchema.safeParse(raw);
    if (!req.success) return { ok: false, error: { code: 'BAD_INPUT', message: 'Expected {exportId, session}.' } };
    const office = deps.office?.() ?? null;
    if (office) return saveFromOffice(deps, office, req.data.exportId, req.data.session);
    const where = await deps.callBackend({ method: 'reports.package', input: { exportId: req.data.exportId }, session: req.data.session });
    if (!where.ok) return where;
    const pkg = where.value as { path: string; zip: boolean; fileName: string };
    const choice = await deps.showSaveDialog({ title: pkg.fileName, defaultPath: path.join(deps.downloadsDir(), pkg.fileName), filters: [{ name: 'ZIP', extensions: ['zip'] }] });
    if (choice.canceled || !choice.filePath) return { ok: true, value: { saved: false, path: null } };
    try {
      if (pkg.zip) await deps.copyFile(pkg.path, choice.filePath);
      else await deps.zipFolder(pkg.path, choice.filePath, path.basename(pkg.path));
    } catch (e) {
      return { ok: false, error: { code: 'INTERNAL', message: `The package could not be saved to ${choice.filePath}: ${e instanceof Error ? e.message : String(e)}` } };
    }
    return { ok: true, value: { saved: true, path: choice.filePath } };
  };
}

async function saveFromOffice(deps: SavePackageDeps, office: Pick<OfficeForwarder, 'openPackage'>, exportId: number, session: string): Promise<SavePackageResult> {
  // The server checks the session and permission (reports.package) and audits the download, as for a browser.
  const opened = await office.openPackage(exportId, session);
  if (!opened.ok) return opened;
  const pkg = opened.value;
  let choice: { canceled: boolean; filePath?: string | undefined };
  try {
    choice = await deps.showSaveDialog({ title: pkg.fileName, defaultPath: path.join(deps.downloadsDir(), pkg.fileName), filters: [{ name: 'ZIP', extensions: ['zip'] }] });
  } catch (e) {
    pkg.discard();
    throw e;
  }
  if (choice.canceled || !choice.filePath) {
    pkg.discard();
    return { ok: true, value: { saved: false, path: null } };
  }
  try {
    await pkg.saveTo(choice.filePath);
  } catch (e) {
    return { ok: false, error: { code: 'INTERNAL', message: `The package could not be saved to ${choice.filePath}: ${e instanceof Error ? e.message : String(e)}` } };
  }
  return { ok: true, value: { saved: true, path: choice.filePath } };
}
