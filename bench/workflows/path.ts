import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bench workflows entry point, compiled (`dist/bench/`) or as TypeScript source. */
export function benchWorkflowsPath(): string {
  for (const name of ['./index.js', './index.ts']) {
    const candidate = fileURLToPath(new URL(name, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('cannot find bench/workflows/index next to bench/workflows/path');
}
