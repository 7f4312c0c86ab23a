// Runs the TypeScript offload worker straight from source (tests, benchmarks). The built app uses
// dist/workers/offload.mjs instead, and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
