import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../libs/config/index.js';
import { TEMPORAL_SERVER_VERSION } from '../../libs/temporal-server/production-server.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

interface Service {
  readonly image?: string;
  readonly entrypoint?: string | string[];
  readonly volumes?: readonly string[];
  readonly networks?: Record<string, { ipv4_address?: string } | null> | readonly string[];
  readonly build?: unknown;
  readonly command?: string | string[];
  readonly container_name?: string;
  readonly ports?: readonly (string | number | { target: number; published?: string | number })[];
  readonly environment?: Record<string, string | number | boolean | null> | readonly string[];
  readonly env_file?: unknown;
  readonly depends_on?: readonly string[] | Record<string, { condition?: string }>;
  readonly healthcheck?: { test?: unknown; disable?: boolean };
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  networks?: Record<string, { ipam?: { config?: { subnet?: string }[] } } | null>;
};
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
    expect(env.TEMPORAL_ADDRESS).toBe(`temporal:${temporalEnv.TEMPORAL_FRONTEND_PORT}`);
    // The namespace job registers the namespace the apps use.
    const registers = String(commandOf(services['temporal-namespace']).join(' '));
    expect(registers).toContain(`namespace create --namespace ${env.TEMPORAL_NAMESPACE ?? 'default'} `);
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

/** `{{ env "X" }}` without a `default`: the server refuses to start when X is unset. */
function requiredTemplateVariables(template: string): string[] {
  const required = new Set<string>();
  for (const [expression] of template.matchAll(/\{\{[^}]*\}\}/g)) {
    if (/\bdefault\b/.test(expression)) continue;
    for (const [, name] of expression.matchAll(/env "([A-Z0-9_]+)"/g)) required.add(name);
  }
  return [...required].sort();
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

describe('docker-compose.yml and the production Temporal server the project builds', () => {
  const temporal = services.temporal;
  const temporalEnv = resolvedEnvironment(temporal);
  const imageVersion = TEMPORAL_SERVER_VERSION.replace(/^v/, '');

  it('runs the same Temporal server version, and its admin tools, as the soak and the fleet test', () => {
    expect(temporal.image).toBe(`temporalio/server:${imageVersion}`);
    for (const job of ['temporal-schema', 'temporal-namespace']) expect(services[job].image).toMatch(new RegExp(`^temporalio/admin-tools:${imageVersion.replace(/\./g, '\\.')}(-|$)`));
  });

  it('starts the server from deploy/temporal/production.yaml, the file the project runs locally', () => {
    const entrypoint = Array.isArray(temporal.entrypoint) ? temporal.entrypoint : String(temporal.entrypoint ?? '').split(/\s+/);
    const flag = (name: string) => entrypoint[entrypoint.indexOf(name) + 1];
    expect(entrypoint[0]).toBe('temporal-server');
    expect(entrypoint.at(-1)).toBe('start');
    expect(flag('--env')).toBe('production');
    const configDir = path.posix.join(flag('--root'), flag('--config'));
    expect(temporal.volumes).toContainEqual(`./deploy/temporal:${configDir}:ro`);
    expect(temporalEnv.TEMPORAL_DYNAMIC_CONFIG).toBe(path.posix.join(configDir, 'dynamicconfig.yaml'));
  });

  it('sets every variable the configuration needs and has no default for', () => {
    const required = requiredTemplateVariables(read('deploy/temporal/production.yaml'));
    expect(required).toEqual(expect.arrayContaining(['TEMPORAL_DB', 'TEMPORAL_DB_ADDRESS', 'TEMPORAL_FRONTEND_PORT']));
    expect(required.filter((name) => !temporalEnv[name])).toEqual([]);
    expect(temporalEnv.TEMPORAL_DB_ADDRESS).toBe('temporal-postgres:5432');
    expect(temporalEnv.TEMPORAL_DB_USER).toBe(resolvedEnvironment(services['temporal-postgres']).POSTGRES_USER);
    expect(temporalEnv.TEMPORAL_DB_PASSWORD).toBe(resolvedEnvironment(services['temporal-postgres']).POSTGRES_PASSWORD);
  });

  it('binds on the compose network and broadcasts the fixed address it has there', () => {
    expect(temporalEnv.TEMPORAL_BIND_ON_IP).toBe('0.0.0.0');
    const networks = temporal.networks as Record<string, { ipv4_address?: string }>;
    const address = interpolateDefaults(networks.default.ipv4_address ?? '');
    expect(temporalEnv.TEMPORAL_BROADCAST_ADDRESS).toBe(address);
    const [subnet, bits] = interpolateDefaults(compose.networks?.default?.ipam?.config?.[0]?.subnet ?? '').split('/');
    const mask = bits ? ~(2 ** (32 - Number(bits)) - 1) >>> 0 : 0;
    expect(bits).toBeDefined();
    expect((ipv4ToNumber(address) & mask) >>> 0).toBe((ipv4ToNumber(subnet) & mask) >>> 0);
  });

  it('creates both schemas with temporal-sql-tool before the server starts, as the local script does', () => {
    const script = commandOf(services['temporal-schema']).join(' ');
    expect(script).toContain('temporal-sql-tool --plugin postgres12 --ep temporal-postgres');
    expect(script).toMatch(/temporal:temporal temporal_visibility:visibility/);
    expect(script).toContain('update-schema -d "/etc/temporal/schema/postgresql/v12/$$schema/versioned"');
    expect(dependencies(temporal)['temporal-schema']).toBe('service_completed_successfully');
    for (const name of APP_SERVICES) expect(dependencies(services[name])['temporal-namespace']).toBe('service_completed_successfully');
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
