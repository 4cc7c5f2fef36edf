import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../libs/config/index.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

interface Service {
  readonly image?: string;
  readonly build?: unknown;
  readonly command?: string | string[];
  readonly container_name?: string;
  readonly ports?: readonly (string | number | { target: number; published?: string | number })[];
  readonly environment?: Record<string, string | number | boolean | null> | readonly string[];
  readonly env_file?: unknown;
  readonly depends_on?: readonly string[] | Record<string, { condition?: string }>;
  readonly healthcheck?: { test?: unknown; disable?: boolean };
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const APP_SERVICES = ['api', 'worker'] as const;

/** What `docker compose` substitutes when the caller sets nothing: `${X:-default}` → default. */
function interpolateDefaults(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}/g, (_, name: string, kind?: string, word?: string) =>
    kind === '-' ? (word ?? '') : `<${name}>`,
  );
}

function environmentOf(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((line: string) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(raw).map(([name, value]) => [name, value === null ? '' : String(value)]);
  return Object.fromEntries(entries);
}

function resolvedEnvironment(service: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(environmentOf(service)).map(([name, value]) => [name, interpolateDefaults(value)]));
}

function containerPorts(service: Service): { published?: number; target: number }[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return { target: Number(port.target), published: port.published === undefined ? undefined : Number(port.published) };
    const parts = interpolateDefaults(String(port)).split('/')[0].split(':');
    const target = Number(parts.at(-1));
    return { target, published: parts.length > 1 ? Number(parts.at(-2)) : undefined };
  });
}

function dependencies(service: Service): Record<string, string | undefined> {
  const raw = service.depends_on ?? [];
  return Array.isArray(raw) ? Object.fromEntries(raw.map((name) => [name, undefined])) : Object.fromEntries(Object.entries(raw).map(([name, spec]) => [name, spec.condition]));
}

function commandOf(service: Service): string[] {
  const command = service.command;
  return command === undefined ? [] : Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

/** The JavaScript files `tsc -p tsconfig.build.json` writes, relative to the project root. */
function emittedByBuild(): Set<string> {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(projectRoot, 'tsconfig.build.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error('tsconfig.build.json could not be read');
  const { rootDir, outDir } = parsed.options;
  if (!rootDir || !outDir) throw new Error('tsconfig.build.json must set rootDir and outDir');
  return new Set(
    parsed.fileNames
      .filter((file) => /\.[cm]?ts$/.test(file) && !file.endsWith('.d.ts'))
      .map((file) => path.relative(projectRoot, path.join(outDir, path.relative(rootDir, file))).replace(/\.ts$/, '.js').split(path.sep).join('/')),
  );
}

interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function dockerInstructions(source: string): DockerInstruction[] {
  const logical = source
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return logical.map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

const dockerfile = dockerInstructions(read('Dockerfile'));
const stages = dockerfile.reduce<DockerInstruction[][]>((all, instruction) => {
  if (instruction.keyword === 'FROM') all.push([]);
  all.at(-1)?.push(instruction);
  return all;
}, []);
const finalStage = stages.at(-1) ?? [];

function execForm(instruction: DockerInstruction | undefined): string[] {
  if (!instruction) return [];
  const args = JSON.parse(instruction.args) as unknown;
  if (!Array.isArray(args)) throw new Error(`${instruction.keyword} must use the exec (JSON) form so node receives signals`);
  return args.map(String);
}

/** `node dist/x.js` → `dist/x.js`. */
function scriptOf(command: readonly string[]): string | undefined {
  return command[0] === 'node' ? command.find((arg, index) => index > 0 && !arg.startsWith('-')) : undefined;
}

describe('docker-compose.yml', () => {
  it('describes PostgreSQL, Temporal with its UI, the API and the worker', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'api', 'worker']));
    expect(services.postgres.image).toMatch(/^postgres:15(\.|$|-)/);
    expect(services.temporal.image).toMatch(/^temporalio\/auto-setup:1\.2\d\.\d+$/);
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(containerPorts(services['temporal-ui'])).toContainEqual({ target: 8080, published: 8080 });
  });

  it('lets the worker scale out: no fixed container name, no host port', () => {
    expect(services.worker.container_name).toBeUndefined();
    expect(services.worker.ports ?? []).toEqual([]);
  });

  it('builds the API and the worker from the Dockerfile, as one image', () => {
    for (const name of APP_SERVICES) expect(services[name].build).toBeDefined();
    expect(services.worker.image).toBe(services.api.image);
  });

  it.each(APP_SERVICES)('configures %s only with variables libs/config reads', (name) => {
    expect(services[name].env_file).toBeUndefined();
    const unknown = Object.keys(environmentOf(services[name])).filter((variable) => !CONFIG_VARIABLES.includes(variable));
    expect(unknown).toEqual([]);
  });

  it.each(APP_SERVICES)('makes the caller supply AUTH_JWT_SECRET to %s', (name) => {
    expect(environmentOf(services[name]).AUTH_JWT_SECRET).toMatch(/^\$\{AUTH_JWT_SECRET:\?.+\}$/);
  });

  it('publishes the API on the port it listens on', () => {
    const port = Number(resolvedEnvironment(services.api).PORT ?? 3000);
    expect(containerPorts(services.api).map((mapping) => mapping.target)).toEqual([port]);
  });

  it.each(APP_SERVICES)('points %s at the temporal service frontend and its namespace', (name) => {
    const env = resolvedEnvironment(services[name]);
    const temporalEnv = resolvedEnvironment(services.temporal);
    const frontendPort = temporalEnv.FRONTEND_GRPC_PORT ?? '7233';
    expect(env.TEMPORAL_ADDRESS).toBe(`temporal:${frontendPort}`);
    expect(env.TEMPORAL_NAMESPACE ?? 'default').toBe(temporalEnv.DEFAULT_NAMESPACE ?? 'default');
  });

  it.each(APP_SERVICES)('points %s at the postgres service with its credentials', (name) => {
    const url = new URL(resolvedEnvironment(services[name]).DATABASE_URL);
    const postgres = resolvedEnvironment(services.postgres);
    expect(url.protocol).toMatch(/^postgres(ql)?:$/);
    expect(url.hostname).toBe('postgres');
    expect(url.port || '5432').toBe('5432');
    expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER ?? 'postgres');
    expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
    expect(url.pathname.slice(1)).toBe(postgres.POSTGRES_DB ?? postgres.POSTGRES_USER ?? 'postgres');
  });

  it('links workflows to the Temporal UI that the stack publishes', () => {
    const ui = new URL(resolvedEnvironment(services.api).TEMPORAL_UI_URL);
    const published = containerPorts(services['temporal-ui']).map((mapping) => mapping.published);
    expect(published).toContain(Number(ui.port));
  });

  it.each(APP_SERVICES)('starts %s only once PostgreSQL and Temporal report healthy', (name) => {
    const after = dependencies(services[name]);
    for (const dependency of ['postgres', 'temporal']) {
      expect(after[dependency]).toBe('service_healthy');
      expect(services[dependency].healthcheck?.test).toBeDefined();
    }
  });

  it('depends only on services it declares, each with a healthcheck when waited on as healthy', () => {
    const problems = Object.entries(services).flatMap(([name, service]) =>
      Object.entries(dependencies(service)).flatMap(([dependency, condition]) => {
        if (!(dependency in services)) return [`${name} depends on undeclared ${dependency}`];
        if (condition === 'service_healthy' && !services[dependency].healthcheck?.test) return [`${name} waits for ${dependency} to be healthy, which has no healthcheck`];
        return [];
      }),
    );
    expect(problems).toEqual([]);
    expect(services.api.healthcheck?.test).toBeDefined();
  });
});

describe('Dockerfile and the build output', () => {
  const emitted = emittedByBuild();
  const packageScripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

  it('builds on node:20-bookworm-slim in stages and runs as a user other than root', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0].args).toMatch(/^node:20-bookworm-slim(\s|$)/);
    const user = finalStage.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('installs from the lock file, builds, and ships no dev dependencies', () => {
    const runs = dockerfile.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args).join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm run build\b/);
    expect(runs).toMatch(/npm prune --omit=dev|npm ci [^\n]*--omit=dev/);
  });

  it.each([
    ['the image default', () => execForm(finalStage.filter((instruction) => instruction.keyword === 'CMD').at(-1))],
    ['api', () => commandOf(services.api)],
    ['worker', () => commandOf(services.worker)],
  ])('runs (%s) a file that tsc -p tsconfig.build.json emits', (_, command) => {
    const script = scriptOf(command());
    expect(script).toBeDefined();
    expect(emitted).toContain(script);
  });

  it.each([
    ['api', 'start:api'],
    ['worker', 'start:worker'],
  ])('runs %s with the entry point npm run %s uses', (service, script) => {
    expect(packageScripts[script]).toBe(commandOf(services[service]).join(' '));
  });
});
