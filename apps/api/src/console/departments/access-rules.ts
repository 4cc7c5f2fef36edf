import { Injectable, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_KEY, type AccessRule } from '../../auth/access.decorator.js';
import { admission, admit } from '../../auth/auth.guard.js';
import type { Principal, Role } from '../../auth/roles.js';

/** The `@Access` rule of an API route, read from the route itself, so the console can never disagree with it. */
@Injectable()
export class AccessRules {
  constructor(private readonly reflector: Reflector) {}

  ruleOf(controller: Type, method: string): AccessRule {
    const handler = (controller.prototype as Record<string, unknown>)[method];
    const rule = typeof handler === 'function' ? this.reflector.get<AccessRule | undefined>(ACCESS_KEY, handler) : undefined;
    if (!rule) throw new Error(`${controller.name}.${method} has no access rule`);
    return rule;
  }

  /** The role the person acts in on that route, or a 403 ApiError, exactly as the guard decides it. */
  admit(principal: Principal, controller: Type, method: string, code?: string): Role {
    return admit(principal, this.ruleOf(controller, method), code);
  }

  /** Whether `admit` would let the person through; asked of every link and form on a page, so it throws nothing. */
  may(principal: Principal, controller: Type, method: string, code?: string): boolean {
    return typeof admission(principal, this.ruleOf(controller, method), code) === 'string';
  }
}
