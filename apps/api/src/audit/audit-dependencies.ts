import { Injectable } from '@nestjs/common';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { AuditSigningKey, bundleWorkflows } from '../../../../libs/audit/index.js';
import type { AppConfig } from '../../../../libs/config/index.js';
import { workflowsPath } from '../../../../libs/temporal/index.js';
import { ApiError } from '../common/api-error.js';

/** The digest key from the configuration; without one, digests are refused with a 503 that says what to set. */
export class DigestKeyring {
  private readonly key: AuditSigningKey | undefined;

  constructor(pem: AppConfig['auditSigningKeyPem']) {
    this.key = pem ? AuditSigningKey.fromPem(pem) : undefined;
  }

  signingKey(): AuditSigningKey {
    if (!this.key) {
      throw new ApiError(503, 'signing-key-not-configured', 'no audit signing key is configured: set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE');
    }
    return this.key;
  }
}

/** Today's workflow code, bundled once on first use: replay compares histories against exactly this. */
@Injectable()
export class CurrentWorkflowCode {
  private bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

  get(): Promise<WorkflowBundleWithSourceMap> {
    this.bundle ??= bundleWorkflows(workflowsPath()).catch((error: unknown) => {
      this.bundle = undefined;
      throw error;
    });
    return this.bundle;
  }
}
