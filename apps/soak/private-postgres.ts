import { execFile } from 'node:child_process';
import { appendFile, chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findFreePort } from '../../libs/temporal-server/index.js';

const run = promisify(execFile);

export interface PrivatePostgresOptions {
  /** Where initdb and pg_ctl live; SOAK_POSTGRES_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
  readonly binDir?: string;
  /** The API pools, the workers' and Temporal's services all connect: more than the default 100. */
  readonly maxConnections?: number;
}

/**
 * A PostgreSQL cluster of the drill's own: initdb into a temporary folder, a free port on
 * loopback, trust authentication for loopback only. The PostgreSQL drill stops and starts
 * it; the machine's shared cluster is never touched. initdb refuses to run as root, so as
 * root the cluster belongs to the `postgres` system user and its tools run as that user.
 */
export class PrivatePostgres {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly binDir: string,
    private readonly runAs: string | undefined,
  ) {}

  static async create(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
    const binDir = options.binDir ?? process.env.SOAK_POSTGRES_BIN ?? (await newestDebianPostgresBin());
    const runAs = userInfo().uid === 0 ? 'postgres' : undefined;
    const root = await mkdtemp(path.join(tmpdir(), 'ssc-soak-pg-'));
    if (runAs) {
      const { stdout } = await run('id', ['-u', runAs]);
      const { stdout: group } = await run('id', ['-g', runAs]);
      await chown(root, Number(stdout.trim()), Number(group.trim()));
    }
    const cluster = new PrivatePostgres(path.join(root, 'data'), await findFreePort('127.0.0.1'), binDir, runAs);
    try {
      await cluster.tool('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
      const settings = [
        `port = ${cluster.port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${root}'`,
        `max_connections = ${options.maxConnections ?? 400}`,
        // A throwaway cluster: durability across a machine crash buys nothing here.
        'fsync = off',
        'synchronous_commit = off',
      ];
      await appendFile(path.join(cluster.dataDir, 'postgresql.conf'), `${settings.join('\n')}\n`);
      await cluster.start();
    } catch (error) {
      await rm(root, { recursive: true, force: true });
      throw error;
    }
    return cluster;
  }

  /** The superuser's URL for `database`. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Resolves once the server accepts connections. */
  async start(): Promise<void> {
    await this.tool(path.join(this.binDir, 'pg_ctl'), ['-D', this.dataDir, '-l', path.join(path.dirname(this.dataDir), 'server.log'), '-w', '-t', '60', 'start']);
  }

  /** Fast shutdown: open connections are cut, as when a database server goes down. */
  async stop(): Promise<void> {
    await this.tool(path.join(this.binDir, 'pg_ctl'), ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  /** Stops the server if it runs and removes its folder. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    await rm(path.dirname(this.dataDir), { recursive: true, force: true });
  }

  private async tool(command: string, args: readonly string[]): Promise<void> {
    const file = command === 'initdb' ? path.join(this.binDir, 'initdb') : command;
    const [program, programArgs] = this.runAs ? ['runuser', ['-u', this.runAs, '--', file, ...args]] : [file, [...args]];
    try {
      await run(program, programArgs, { cwd: tmpdir() });
    } catch (error) {
      const failed = error as { stderr?: string; message: string };
      throw new Error(`${path.basename(file)} failed: ${failed.stderr?.trim() || failed.message}`);
    }
  }
}

/** Debian and Ubuntu keep each installed major version's server tools apart, off the PATH. */
async function newestDebianPostgresBin(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = await readdir(root).catch(() => [] as string[]);
  const newest = versions.filter((version) => /^\d+$/.test(version)).sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no PostgreSQL server tools under ${root}: install PostgreSQL or set SOAK_POSTGRES_BIN to the folder holding initdb and pg_ctl`);
  return path.join(root, newest, 'bin');
}
