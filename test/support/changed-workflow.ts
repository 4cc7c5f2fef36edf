import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKFLOWS = join(ROOT, 'workflows');
const BEGIN = '// test-fixture:lesson-read begin';
const END = '// test-fixture:lesson-read end';

/**
 * THE DELIBERATE CHANGE: the lesson library is read before every command, not only before
 * leaving LESSONS. Harmless-looking, but it runs an activity that recorded histories do not
 * have, so replaying them must fail.
 */
const CHANGED_BLOCK = `const library = await activities.durable.mandatoryLessonIds(state.centre);
      const lessons = request.command.type === 'AdvanceStage' && state.stage === 'LESSONS' ? library : [];`;

export interface GeneratedWorkflow {
  /** The bundler entry point of the changed workflow. */
  readonly workflowsPath: string;
  remove(): void;
}

let generated = 0;

/**
 * Today's workflows/ with one marked block swapped for a change that breaks determinism, for
 * the tests that prove replay catches it. Written at test time beside workflows/ (same depth,
 * so its `../libs` imports resolve to the real code), so it can never drift from the real
 * workflow: only the marked block differs.
 */
export function writeChangedWorkflow(): GeneratedWorkflow {
  generated += 1;
  const dir = join(ROOT, `.fixture-changed-workflow-${process.pid}-${generated}`);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(WORKFLOWS)) {
    if (name.endsWith('.ts')) copyFileSync(join(WORKFLOWS, name), join(dir, name));
  }
  const marked = readdirSync(dir).filter((name) => readFileSync(join(dir, name), 'utf8').includes(BEGIN));
  if (marked.length !== 1) {
    throw new Error(`exactly one file of workflows/ must hold the block between "${BEGIN}" and "${END}"; found ${marked.length}`);
  }
  const file = join(dir, marked[0]);
  const source = readFileSync(file, 'utf8');
  const begin = source.indexOf(BEGIN);
  const end = source.indexOf(END);
  if (end < begin || source.indexOf(BEGIN, begin + 1) >= 0) {
    throw new Error(`workflows/${marked[0]} must hold exactly one block between "${BEGIN}" and "${END}"`);
  }
  writeFileSync(file, source.slice(0, begin) + CHANGED_BLOCK + source.slice(end + END.length));
  return {
    workflowsPath: join(dir, 'index.ts'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
