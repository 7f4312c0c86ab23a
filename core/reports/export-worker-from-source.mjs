// Runs the TypeScript export worker straight from source (tests, benchmarks). The built app uses
// dist/workers/export.mjs instead, and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./export-worker.ts');
