#!/usr/bin/env node
import 'reflect-metadata';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runSsc } from './cli.js';

// `ssc <command>` (npm run ssc -- <command>; npm run demo): see cli.ts for the commands.
// Replay reports divergence itself; core's own warning for each replayed prefix is noise here.
Runtime.install({ logger: new DefaultLogger('ERROR') });
runSsc(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`ssc: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
