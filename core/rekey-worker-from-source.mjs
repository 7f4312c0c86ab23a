// Runs the TypeScript rekey worker straight from source (tests, benchmarks). The built app uses
// dist/workers/rekey.mjs instead, and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./rekey-worker.ts');
