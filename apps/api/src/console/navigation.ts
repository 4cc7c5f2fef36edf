import type { Principal } from '../auth/roles.js';
import { VerifyAllController } from '../audit/integrity/verify-all.controller.js';
import { StuckController } from '../operations/stuck/stuck.controller.js';
import type { AccessRules } from './departments/access-rules.js';

/**
 * The header's links that only some roles get, each decided by the access rule of the API
 * route its page stands for, so the header can never offer a page that answers 403.
 */
export function sectionsFor(rules: AccessRules, user: Principal | undefined): { readonly operations: boolean; readonly audit: boolean } {
  return {
    operations: user !== undefined && rules.may(user, StuckController, 'list'),
    audit: user !== undefined && rules.may(user, VerifyAllController, 'verifyAll'),
  };
}
