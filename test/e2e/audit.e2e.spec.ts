import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { canonicalJson } from '../../libs/event-store/index.js';
import { streamIdFor } from '../../libs/domain/index.js';
import { Tamperer, ThrowawayPostgres, withTestDatabaseUrl } from '../support/audit-tamper.js';
import { auditSigningKeyPem, departmentWithHistory } from '../support/audit-scenario.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The auditors' endpoints against the real API, worker and Temporal. Each database case
 * gets a database of its own (a throwaway PostgreSQL database, a fresh SQLite file),
 * because the tampering tests lift the append-only triggers behind the application's back.
 */
describe.each(['postgres', 'sqlite'] as const)('auditing on %s', (database) => {
  let stack: Stack;
  let throwaway: ThrowawayPostgres | undefined;
  let codes: string[];
  const auditor = () => `Bearer ${stack.token('auditor')}`;

  beforeAll(async () => {
    const env = { AUDIT_SIGNING_KEY: auditSigningKeyPem() };
    if (database === 'postgres') {
      throwaway = await ThrowawayPostgres.create();
      stack = await withTestDatabaseUrl(throwaway.url, () => startStack({ database, env }));
    } else {
      stack = await startStack({ database, env });
    }
    codes = [];
    for (let index = 0; index < 5; index += 1) codes.push(await departmentWithHistory(stack));
  });
  afterAll(async () => {
    await stack?.close();
    await throwaway?.drop();
  });

  describe('before anyone tampers', () => {
    it('verifies an intact stream, every event checked', async () => {
      const response = await stack.http.get(`/api/departments/${codes[0]}/verify`).set('Authorization', auditor());

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ valid: true, checkedEvents: 6 });
      expect(response.body.firstInvalidVersion).toBeUndefined();
    });

    it('verifies every stream at once', async () => {
      const response = await stack.http.get('/api/audit/verify').set('Authorization', auditor());

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ valid: true, checkedStreams: codes.length, checkedEvents: 6 * codes.length, invalid: [] });
    });

    it("serves a department's evidence pack as a ZIP file, and 404 for a department with no events", async () => {
      const pack = await stack.http.get(`/api/departments/${codes[0]}/evidence`).set('Authorization', auditor()).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(pack.status).toBe(200);
      expect(pack.headers['content-type']).toBe('application/zip');
      expect(pack.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="evidence-${codes[0]}-.+\\.zip"$`));
      expect((pack.body as Buffer).subarray(0, 4).toString('hex')).toBe('504b0304');
      const missing = await stack.http.get('/api/departments/NOSUCHDEPT/evidence').set('Authorization', auditor());
      expect([missing.status, missing.body.code]).toEqual([404, 'department-not-found']);
    });

    it('answers 404 for a department with no events and 400 for a malformed code', async () => {
      await expect(stack.http.get('/api/departments/NOSUCHDEPT/verify').set('Authorization', auditor())).resolves.toMatchObject({
        status: 404,
        body: { code: 'department-not-found' },
      });
      await expect(stack.http.get('/api/departments/no-such!/verify').set('Authorization', auditor())).resolves.toMatchObject({
        status: 400,
        body: { code: 'invalid-department-code' },
      });
    });

    it('folds any past version or instant with the workflow evolve, and equals the read model at the head of every stream', async () => {
      const code = codes[0];
      const events = (await stack.http.get(`/api/departments/${code}/events`).set('Authorization', auditor())).body as Array<{ recordedAt: string }>;

      const atTwo = await stack.http.get(`/api/departments/${code}/state?version=2`).set('Authorization', auditor());
      const asOf = await stack.http.get(`/api/departments/${code}/state`).query({ asOf: events[3].recordedAt }).set('Authorization', auditor());
      const programme = `Bearer ${stack.token('programme')}`;

      expect(atTwo.status).toBe(200);
      expect(atTwo.body).toMatchObject({ version: 2, headVersion: 6, atHead: false, integrity: { valid: true, checkedEvents: 2 } });
      expect(atTwo.body.department).toMatchObject({ code, stage: 'LESSONS', assessment: { score: 4 }, baseline: null });
      expect(asOf.body.version).toBeGreaterThanOrEqual(4);
      expect(asOf.body.department.baseline).toMatchObject({ annualCostGbp: 1_250_000.5 });
      for (const each of codes) {
        const head = await stack.http.get(`/api/departments/${each}/state`).set('Authorization', programme);
        const live = await stack.http.get(`/api/departments/${each}`).set('Authorization', programme);
        expect(head.body).toMatchObject({ atHead: true, matchesReadModel: true, version: 6 });
        expect(head.body.department).toEqual(live.body);
      }
    });

    it('refuses an ambiguous or impossible point in time', async () => {
      const code = codes[0];
      const both = await stack.http.get(`/api/departments/${code}/state?version=1&asOf=2027-01-01T00:00:00Z`).set('Authorization', auditor());
      const beyond = await stack.http.get(`/api/departments/${code}/state?version=99`).set('Authorization', auditor());
      const badInstant = await stack.http.get(`/api/departments/${code}/state?asOf=2027-02-30T00:00:00Z`).set('Authorization', auditor());
      const before = await stack.http.get(`/api/departments/${code}/state?asOf=2001-01-01T00:00:00Z`).set('Authorization', auditor());

      expect([both.status, both.body.code]).toEqual([400, 'ambiguous-point-in-time']);
      expect([beyond.status, beyond.body.code, beyond.body.details]).toEqual([404, 'version-not-found', { headVersion: 6 }]);
      expect(badInstant.status).toBe(400);
      expect(before.body).toMatchObject({ version: 0, department: null });
    });

    it('signs a digest an outsider can check with the published public key, and proves later appends extend it', async () => {
      const digest = (await stack.http.get('/api/audit/digest').set('Authorization', auditor())).body;
      const key = (await stack.http.get('/api/audit/public-key').set('Authorization', auditor())).body;
      const signedBytes = Buffer.from(canonicalJson(digest.payload), 'utf8');

      expect(verifySignature(null, signedBytes, createPublicKey(key.publicKeyPem), Buffer.from(digest.signature, 'base64'))).toBe(true);
      expect(digest.keyId).toBe(key.keyId);
      expect(digest.streams).toEqual(expect.arrayContaining([expect.objectContaining({ streamId: streamIdFor(codes[0]), version: 6 })]));

      await stack.http.post(`/api/departments/${codes[0]}/reassign`).set('Authorization', `Bearer ${stack.token('programme')}`).send({ lead: 'newlead' }).expect(200);
      const verified = await stack.http.post('/api/audit/digest/verify').set('Authorization', auditor()).send({ digest });
      const { streams: _heads, ...compact } = digest;
      const verifiedCompact = await stack.http.post('/api/audit/digest/verify').set('Authorization', auditor()).send({ digest: compact });

      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ valid: true, signatureValid: true, extendsDigest: true, problems: [] });
      expect(verifiedCompact.body).toMatchObject({ valid: true });
      const malformed = await stack.http.post('/api/audit/digest/verify').set('Authorization', auditor()).send({ digest: { payload: 'x' } });
      expect([malformed.status, malformed.body.code]).toEqual([400, 'invalid-digest']);
    });
  });

  describe('after tampering behind the application', () => {
    let digestBefore: unknown;

    beforeAll(async () => {
      digestBefore = (await stack.http.get('/api/audit/digest').set('Authorization', auditor())).body;
      const tamperer = new Tamperer(stack.db);
      await tamperer.liftProtection();
      const [changed, deleted, swapped, rehashed] = codes.slice(1).map(streamIdFor);
      await tamperer.changePayload(changed, 2, { sro: 'Someone Else', score: 5, contractManagementFte: 9, notes: null, at: '2027-01-01T00:00:00.000Z' });
      await tamperer.deleteEvent(deleted, 3);
      await tamperer.swapEvents(swapped, 4, 5);
      await tamperer.rewriteAndRehash(rehashed, 4, { annualCostPence: 1, implementationCostPence: 1, headcountServed: 1, at: '2027-01-01T00:00:00.000Z' });
    });

    it.each([
      ['a changed payload', 1, 2],
      ['a deleted event', 2, 3],
      ['two events swapped', 3, 4],
      ['a recomputed hash that no longer links', 4, 4],
    ])('finds %s and names the exact first invalid version', async (_kind, index, firstInvalidVersion) => {
      const response = await stack.http.get(`/api/departments/${codes[index]}/verify`).set('Authorization', auditor());

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ valid: false, firstInvalidVersion });
    });

    it('names, per department, the first invalid version and the problem when verifying every stream', async () => {
      const response = await stack.http.get('/api/audit/verify').set('Authorization', auditor());

      expect(response.body).toMatchObject({ valid: false, checkedStreams: codes.length });
      const found = (response.body.invalid as Array<{ department: string; firstInvalidVersion: number; problem: string }>).map(
        ({ department, firstInvalidVersion, problem }) => [department, firstInvalidVersion, typeof problem],
      );
      expect(found).toEqual(
        [
          [codes[1], 2, 'string'],
          [codes[2], 3, 'string'],
          [codes[3], 4, 'string'],
          [codes[4], 4, 'string'],
        ].sort(([a], [b]) => String(a).localeCompare(String(b))),
      );
    });

    it('still finds the untouched stream valid', async () => {
      await expect(stack.http.get(`/api/departments/${codes[0]}/verify`).set('Authorization', auditor())).resolves.toMatchObject({ body: { valid: true } });
    });

    it('fails to verify the earlier digest, naming the altered stream and version', async () => {
      const response = await stack.http.post('/api/audit/digest/verify').set('Authorization', auditor()).send({ digest: digestBefore });

      expect(response.body).toMatchObject({ valid: false, signatureValid: true, extendsDigest: false });
      expect(response.body.problems).toEqual(
        expect.arrayContaining([{ kind: 'altered-before-digest', streamId: streamIdFor(codes[1]), version: 2 }]),
      );
    });

    it('flags a folded state whose chain is broken', async () => {
      const response = await stack.http.get(`/api/departments/${codes[1]}/state?version=3`).set('Authorization', auditor());

      expect(response.body.integrity).toEqual({ valid: false, checkedEvents: 2, firstInvalidVersion: 2 });
    });
  });

  describe('projection rebuild', () => {
    it('rebuilds read models equal to the live ones, and only for admins', async () => {
      const admin = `Bearer ${stack.token('admin')}`;
      const before = (await stack.http.get('/api/departments').set('Authorization', admin)).body as Array<{ code: string }>;
      // The untouched department is corrupted in the read model; the tampered ones stay as their logs say.
      await stack.db.query(`UPDATE departments SET stage = 'CLOSED', state = $1 WHERE code = $2`, ['{"code":"garbage"}', codes[0]]);
      await stack.db.query(`DELETE FROM departments WHERE code = $1`, [codes[1]]);

      const refused = await stack.http.post('/api/admin/projections/rebuild').set('Authorization', auditor()).send({});
      const rebuilt = await stack.http.post('/api/admin/projections/rebuild').set('Authorization', admin).send({});
      const after = (await stack.http.get('/api/departments').set('Authorization', admin)).body as Array<{ code: string }>;

      expect(refused.status).toBe(403);
      expect(rebuilt.status).toBe(200);
      expect(rebuilt.body).toMatchObject({ resumedFrom: null, streams: expect.any(Number), orphansRemoved: 0 });
      expect(rebuilt.body.invalidStreams.map((stream: { streamId: string }) => stream.streamId).sort()).toEqual(codes.slice(1).map(streamIdFor).sort());
      const untouched = (list: Array<{ code: string }>) => list.filter((department) => department.code === codes[0]);
      expect(untouched(after)).toEqual(untouched(before));
      expect(after.map((department) => department.code)).toEqual(expect.arrayContaining([codes[1]]));
    });
  });
});
