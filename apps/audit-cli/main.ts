import { runAuditCli } from './cli.js';
import { runAsProcess } from './process-entry.js';

// `npm run audit -- <command>`: the auditors' command line (see cli.ts for the commands).
runAsProcess('audit', runAuditCli);
