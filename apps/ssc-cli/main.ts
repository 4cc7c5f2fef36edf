#!/usr/bin/env node
import 'reflect-metadata';
import { runAsProcess } from '../audit-cli/process-entry.js';
import { runSsc } from './cli.js';

// `ssc <command>` (npm run ssc -- <command>; npm run demo): see cli.ts for the commands.
runAsProcess('ssc', runSsc);
