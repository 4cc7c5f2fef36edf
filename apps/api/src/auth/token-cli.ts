import 'reflect-metadata';
import { userInfo } from 'node:os';
import { loadConfig } from '../../../../libs/config/index.js';
import { signToken } from './tokens.js';
import { TOKEN_USAGE, TokenRequestError, parseTokenRequest } from './token-request.js';

/**
 * `npm run -s token -- --role lead --dept DFT`: only the token goes to stdout, so it can be
 * captured (`TOKEN=$(npm run -s token -- …)`); what it is for goes to stderr.
 */
function main(): number {
  let request;
  try {
    request = parseTokenRequest(process.argv.slice(2), safeUserName());
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    process.stderr.write(`token: ${error.message}\n\n${TOKEN_USAGE}\n`);
    return 64;
  }
  if (request === 'help') {
    process.stdout.write(`${TOKEN_USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  if (!config.authJwtSecret) {
    process.stderr.write('token: this deployment accepts only its identity provider\'s tokens (OIDC_ISSUER_URL is set and AUTH_JWT_SECRET is not); sign in there instead\n');
    return 78;
  }
  const token = signToken(request.claims, {
    secret: config.authJwtSecret,
    issuer: config.authJwtIssuer,
    audience: config.authJwtAudience,
    expiresInSeconds: request.expiresInSeconds,
  });
  const { sub, roles, departments } = request.claims;
  const scope = departments && departments.length > 0 ? ` for ${departments.join(', ')}` : '';
  process.stderr.write(`token for ${sub} as ${roles.join(', ')}${scope}, valid ${request.expiresInSeconds / 3600} h; send it as "Authorization: Bearer <token>"\n`);
  process.stdout.write(`${token}\n`);
  return 0;
}

function safeUserName(): string {
  try {
    return userInfo().username.replace(/[^\w.@:+-]/g, '') || 'local';
  } catch {
    return 'local';
  }
}

try {
  process.exitCode = main();
} catch (error) {
  // A bad configuration names the variable; nothing else about the secret is printed.
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
