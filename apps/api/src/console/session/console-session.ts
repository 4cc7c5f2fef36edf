import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '../../../../../libs/config/index.js';
import type { Principal, Role } from '../../auth/roles.js';
import { APP_CONFIG } from '../../common/tokens.js';

/**
 * Who is signed in to the console, however they signed in: the development form and the
 * organisation's identity provider both end in `ConsoleSession.signIn` with one of these.
 */
export interface ConsoleUser extends Principal {
  readonly roles: readonly Role[];
  /** How they signed in, shown on the page and kept for sign-out. */
  readonly method: 'development' | 'identity-provider';
  /** The identity provider's ID token, for its sign-out endpoint. */
  readonly idToken?: string;
}

/** A one-time message for the next page (a GOV.UK notification banner). */
export interface Flash {
  readonly heading: string;
  readonly text?: string;
}

declare module 'express-session' {
  interface SessionData {
    user?: ConsoleUser;
    /** Epoch ms of sign-in, for the absolute expiry. */
    signedInAt?: number;
    flash?: Flash;
  }
}

type SessionRequest = Pick<Request, 'session'>;

function promised(run: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}

@Injectable()
export class ConsoleSession {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A fresh session id on every sign-in, so a session fixed before it is worth nothing after. */
  async signIn(request: SessionRequest, user: ConsoleUser): Promise<void> {
    await promised((done) => request.session.regenerate(done));
    request.session.user = user;
    request.session.signedInAt = Date.now();
    await promised((done) => request.session.save(done));
  }

  /** Ends the session everywhere (the store row goes); answers the ID token for the provider's sign-out. */
  async signOut(request: SessionRequest): Promise<ConsoleUser | undefined> {
    const user = request.session?.user;
    if (request.session) await promised((done) => request.session.destroy(done));
    return user;
  }

  /** The signed-in user, unless the session has outlived its absolute limit. */
  user(request: Partial<SessionRequest>): ConsoleUser | undefined {
    const session = request.session;
    if (!session?.user || session.signedInAt === undefined) return undefined;
    if (Date.now() - session.signedInAt > this.config.consoleSessionMaxMs) return undefined;
    return session.user;
  }

  /**
   * Kept for the next page, and saved before the caller redirects: express-session would
   * otherwise send the redirect's headers first, and the browser could ask for the next page
   * before the message is stored.
   */
  async flash(request: SessionRequest, message: Flash): Promise<void> {
    request.session.flash = message;
    await promised((done) => request.session.save(done));
  }

  takeFlash(request: Partial<SessionRequest>): Flash | undefined {
    const message = request.session?.flash;
    if (message && request.session) delete request.session.flash;
    return message;
  }
}
