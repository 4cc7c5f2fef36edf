// `npm run bench`: starts a Temporal dev server, a throwaway PostgreSQL database, the
// worker and the API in this process, measures every figure in bench/figures, writes
// bench-results/latest.json and prints it.
//
//   BENCH_SAMPLES (default 200)   measured calls per series
//   BENCH_WARMUP  (default 20)    calls per series made first and thrown away
//   BENCH_ONLY                    comma-separated figure names to run
//   BENCH_PG_ADMIN_URL            default postgres://postgres@127.0.0.1:5432/postgres
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { openEnvironment } from './environment.js';
import { FIGURES, type FigureResult } from './figures/index.js';
import { judge } from './goals.js';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function count(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`${name} must be an integer of at least ${min}, got "${raw}"`);
  return Number(raw);
}

function selectedFigures() {
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!only?.length) return FIGURES;
  const unknown = only.filter((name) => !FIGURES.some((figure) => figure.name === name));
  if (unknown.length) throw new Error(`BENCH_ONLY names no figure ${unknown.join(', ')}; known: ${FIGURES.map((f) => f.name).join(', ')}`);
  return FIGURES.filter((figure) => only.includes(figure.name));
}

async function main(): Promise<void> {
  const samples = count('BENCH_SAMPLES', 200, 1);
  const warmup = count('BENCH_WARMUP', 20, 0);
  const figures = selectedFigures();

  const interrupted = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => {
    // Nest's shutdown hook sends the signal once more after closing the API.
    if (interrupted.signal.aborted) return;
    log(`${signal}: stopping after the current call and cleaning up`);
    interrupted.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  const opened = await openEnvironment(log);
  const results: FigureResult[] = [];
  try {
    for (const figure of figures) {
      results.push(await figure.measure({ env: opened.environment, samples, warmup, signal: interrupted.signal, log }));
    }
  } finally {
    log('closing the environment…');
    await opened.close();
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }

  const report = {
    machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model.trim(), node: process.version },
    measuredAt: new Date().toISOString(),
    warmup,
    figures: results.map((figure) => ({ ...figure, goals: judge(figure) })),
  };
  const file = path.resolve('bench-results', 'latest.json');
  await mkdir(path.dirname(file), { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  await writeFile(file, json);
  process.stdout.write(json);
  log(`written to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  const interruption = error instanceof Error && error.message.startsWith('interrupted by');
  process.stderr.write(`bench failed: ${error instanceof Error ? ((!interruption && error.stack) || error.message) : String(error)}\n`);
  process.exitCode = 1;
});
