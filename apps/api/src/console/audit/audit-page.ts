import { Injectable } from '@nestjs/common';
import type { DigestVerification } from '../../../../../libs/audit/index.js';
import type { Principal } from '../../auth/roles.js';
import { ApiError } from '../../common/api-error.js';
import { toErrorBody } from '../../common/error-filter.js';
import { createValidationPipe } from '../../common/validation.js';
import { DigestController, VerifyDigestRequest } from '../../audit/digest/digest.controller.js';
import { VerifyAllController } from '../../audit/integrity/verify-all.controller.js';
import { DepartmentQueriesController, type ListDepartmentsQuery } from '../../departments/queries/department-queries.controller.js';
import { ApiControllers } from '../api-controllers.js';
import { chainProblemText, digestProblemText, streamName } from './audit-words.js';
import { capitalise } from '../view-filters.js';

export type AuditErrors = Record<string, string>;

export interface AuditPageState {
  readonly verifyAll?: boolean;
  readonly digestCheck?: DigestCheckView;
  readonly errors?: AuditErrors;
  readonly values?: Record<string, string>;
}

export interface DigestCheckView {
  readonly source: string;
  readonly result: DigestVerification;
  readonly problems: string[];
}

/** What was sent to be checked: pasted text, or an uploaded file's bytes. */
export interface KeptDigest {
  readonly pasted: string;
  readonly file?: { readonly name: string; readonly content: Buffer };
}

/** A kept digest is a few kilobytes (its stream list grows by ~150 bytes a department); a megabyte is generous. */
export const DIGEST_LIMIT_BYTES = 1024 * 1024;
export const DIGEST_LIMIT_TEXT = '1 MB';

const ERROR_TARGETS: Record<string, string> = { digest: '#digest', digestFile: '#digestFile', department: '#department' };

/** `/audit`: everything an auditor checks across the programme, from the auditors' API routes. */
@Injectable()
export class AuditPage {
  constructor(private readonly api: ApiControllers) {}

  async view(principal: Principal, state: AuditPageState = {}) {
    const departments = await this.api.get(DepartmentQueriesController).list({} as ListDepartmentsQuery, principal);
    const errors = state.errors ?? {};
    return {
      title: 'Audit',
      departments,
      departmentItems: [
        { value: '', text: 'Choose a department' },
        ...departments.map((department) => ({ value: department.code, text: `${department.name} (${department.code})`, selected: department.code === state.values?.department })),
      ],
      signingKey: this.signingKey(),
      verification: state.verifyAll ? await this.verifyAll() : undefined,
      digestCheck: state.digestCheck,
      values: state.values ?? {},
      errors,
      errorList: Object.entries(errors).map(([field, text]) => ({ text, href: ERROR_TARGETS[field] ?? `#${field}` })),
    };
  }

  /** The key digests are signed with; without one, the page says how to configure it instead of offering downloads that would fail. */
  private signingKey(): { keyId: string } | { unavailable: string } {
    try {
      return { keyId: this.api.get(DigestController).publicKey().keyId };
    } catch (error) {
      if (error instanceof ApiError && error.code === 'signing-key-not-configured') return { unavailable: error.message };
      throw error;
    }
  }

  private async verifyAll() {
    const result = await this.api.get(VerifyAllController).verifyAll();
    return {
      ...result,
      invalid: result.invalid.map((stream) => ({
        ...stream,
        name: streamName(stream.streamId),
        problemText: capitalise(chainProblemText(stream.problem)),
      })),
    };
  }

  /**
   * A kept digest checked by the API's own verification. What cannot be a digest at all (not
   * JSON, not shaped like one) is a problem with the answer, said beside the field.
   */
  async checkDigest(kept: KeptDigest): Promise<{ check: DigestCheckView } | { errors: AuditErrors }> {
    const pasted = kept.pasted.trim();
    const uploaded = kept.file && kept.file.content.length > 0 ? kept.file : undefined;
    if (pasted && uploaded) return { errors: { digest: 'Paste the digest or choose its file, not both' } };
    if (!pasted && !uploaded) return { errors: { digest: 'Paste the digest, or choose the file you kept' } };
    const field = uploaded ? 'digestFile' : 'digest';
    const what = uploaded ? 'The selected file' : 'What you pasted';
    let parsed: unknown;
    try {
      parsed = JSON.parse(uploaded ? uploaded.content.toString('utf8') : pasted);
    } catch {
      return { errors: { [field]: `${what} is not a digest: it is not JSON. Use the file exactly as it was downloaded` } };
    }
    try {
      const request = (await createValidationPipe().transform({ digest: parsed }, { type: 'body', metatype: VerifyDigestRequest, data: '' })) as VerifyDigestRequest;
      const result = await this.api.get(DigestController).verify(request);
      const problems = [
        ...(result.signatureValid ? [] : ['The signature does not match: the digest was changed after it was signed, or it was signed with another key']),
        ...result.problems.map(digestProblemText),
      ];
      const source = uploaded ? `The file ${uploaded.name}` : 'The pasted digest';
      return { check: { source, result, problems } };
    } catch (error) {
      const body = toErrorBody(error);
      if (body.code === 'validation-failed' || body.code === 'invalid-digest') {
        return { errors: { [field]: `${what} is not a digest from this service: it lacks the signed payload, key id or signature` } };
      }
      throw error;
    }
  }
}


export function digestFileName(takenAt: string): string {
  return `ssc-audit-digest-${takenAt.replace(/[:.]/g, '-')}.json`;
}
