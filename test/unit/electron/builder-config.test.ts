// The packaging settings (issue 17, finding 8): electron-builder.yml parsed as electron-builder reads it, and
// checked against app-builder-lib's own schema for the fuse names (a misspelt key would be rejected at build
// time on a release machine, never here: electron-builder cannot package on CI).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, any>;
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as { definitions: Record<string, { properties: Record<string, unknown> }> };

describe('electron-builder.yml', () => {
  it('flips the Electron fuses that keep code out of the packaged app', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    const known = Object.keys(schema.definitions.FuseOptionsV1!.properties);
    for (const key of Object.keys(config.electronFuses as object)) expect(known).toContain(key);
  });

  it('packs the app into an asar (the integrity fuse and only-load-from-asar need one)', () => {
    expect(config.asar ?? true).toBe(true);
  });

  it('signs and notarises from the environment, never from secrets in the file', () => {
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    expect(config.win.signtoolOptions).toMatchObject({ signingHashAlgorithms: ['sha256'], rfc3161TimeStampServer: expect.stringMatching(/^https?:\/\//) });
    for (const key of Object.keys(config.mac as object)) expect(Object.keys(schema.definitions.MacConfiguration!.properties)).toContain(key);
    for (const key of Object.keys(config.win.signtoolOptions as object)) expect(Object.keys(schema.definitions.WindowsSigntoolConfiguration!.properties)).toContain(key);
    const text = readFileSync('electron-builder.yml', 'utf8');
    expect(text).not.toMatch(/certificatePassword|cscKeyPassword|appleIdPassword/);
    for (const v of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']) {
      expect(text).toContain(v);
      expect(readFileSync('README.md', 'utf8')).toContain(v);
    }
  });
});
