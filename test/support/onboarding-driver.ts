import type { Response } from 'supertest';
import { WORKSTREAMS } from '../../libs/domain/index.js';
import type { Stack } from './stack.js';

/**
 * Drives one department through the HTTP API as its people would: a lead, the programme
 * office and the centre, each with their own token.
 */
export class OnboardingDriver {
  constructor(
    readonly stack: Stack,
    readonly code: string,
  ) {}

  get lead() {
    return this.stack.token('lead', [this.code], 'lead-of-' + this.code);
  }
  get programme() {
    return this.stack.token('programme');
  }
  get centre() {
    return this.stack.token('centre', [this.code]);
  }
  get operations() {
    return this.stack.token('operations');
  }

  post(path: string, token: string, body: object = {}, headers: Record<string, string> = {}): Promise<Response> {
    const call = this.stack.http.post(path).set('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(headers)) call.set(name, value);
    return call.send(body);
  }

  command(path: string, token: string, body: object = {}, headers: Record<string, string> = {}): Promise<Response> {
    return this.post(`/api/departments/${this.code}/${path}`, token, body, headers);
  }

  async expectOk(response: Promise<Response>): Promise<Response> {
    const settled = await response;
    if (settled.status >= 300) {
      throw new Error(`expected success, got ${settled.status}: ${JSON.stringify(settled.body)}`);
    }
    return settled;
  }

  register(extra: object = {}): Promise<Response> {
    return this.expectOk(
      this.post('/api/departments', this.programme, {
        code: this.code,
        name: `Department ${this.code}`,
        centre: 'ISSC1',
        plannedGoLive: '2027-04-01',
        ...extra,
      }),
    );
  }

  async get(): Promise<Response> {
    return this.stack.http.get(`/api/departments/${this.code}`).set('Authorization', `Bearer ${this.programme}`);
  }

  advance(from: string, token = this.lead): Promise<Response> {
    return this.command('advance', token, { from });
  }

  async passLessons(): Promise<void> {
    await this.expectOk(this.command('assessment', this.lead, { sro: 'Jane Smith', score: 4, contractManagementFte: 3 }));
    await this.expectOk(this.advance('LESSONS'));
  }

  async passReadiness(): Promise<void> {
    await this.expectOk(this.command('baseline', this.lead, { annualCostGbp: 12_500_000.5, implementationCostGbp: 2_000_000, headcountServed: 4000 }));
    await this.expectOk(this.advance('READINESS'));
  }

  async passMigration(): Promise<void> {
    for (const workstream of WORKSTREAMS) {
      await this.expectOk(
        this.command(`migration/${workstream}`, this.centre, { recordsExtracted: 1000, recordsLoaded: 1000, evidenceRef: `recon/${workstream}` }),
      );
    }
    await this.expectOk(this.advance('MIGRATION'));
  }

  async passGoLive(): Promise<void> {
    await this.expectOk(this.command('go-live/decisions', this.lead, { as: 'department-sro', decision: 'go', reason: 'payroll parallel run clean' }));
    await this.expectOk(this.command('go-live/decisions', this.centre, { as: 'centre', decision: 'go', reason: 'capacity ready' }));
    await this.expectOk(this.command('go-live/decisions', this.programme, { as: 'programme', decision: 'go', reason: 'on plan' }));
    await this.expectOk(this.advance('GO_LIVE'));
  }
}
