// Runs the TypeScript erasure worker straight from source (tests, benchmarks). The built app uses
// dist/workers/erase.mjs instead, and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./erase-worker.ts');
