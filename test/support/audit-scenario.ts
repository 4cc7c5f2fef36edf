import { generateKeyPairSync } from 'node:crypto';
import type { Stack } from './stack.js';
import { uniqueCode } from './stack.js';

/** A fresh Ed25519 signing key in the form AUDIT_SIGNING_KEY takes. */
export function auditSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * Takes a department through HTTP to six events: registered, assessed, advanced to
 * READINESS, baseline recorded, a deviation requested and approved. Enough history for
 * every kind of tampering to have a before and an after.
 */
export async function departmentWithHistory(stack: Stack, prefix = 'AU'): Promise<string> {
  const code = uniqueCode(prefix);
  const programme = `Bearer ${stack.token('programme')}`;
  const lead = `Bearer ${stack.token('lead', [code])}`;
  const ok = async (call: Promise<{ status: number; body: unknown }>, status = 200) => {
    const response = await call;
    if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as { events: Array<{ data: Record<string, unknown> }> };
  };
  await ok(stack.http.post('/api/departments').set('Authorization', programme).send({ code, name: `Audit ${code}`, centre: 'ISSC1', plannedGoLive: '2027-04-01' }), 201);
  await ok(stack.http.post(`/api/departments/${code}/assessment`).set('Authorization', lead).send({ sro: 'Sam Ro', score: 4, contractManagementFte: 2 }));
  await ok(stack.http.post(`/api/departments/${code}/advance`).set('Authorization', lead).send({ from: 'LESSONS' }));
  await ok(stack.http.post(`/api/departments/${code}/baseline`).set('Authorization', lead).send({ annualCostGbp: 1_250_000.5, implementationCostGbp: 300_000, headcountServed: 4200 }));
  const requested = await ok(
    stack.http.post(`/api/departments/${code}/deviations`).set('Authorization', lead).send({ area: 'payroll', description: 'Weekly pay run', justification: 'Union agreement' }),
  );
  const deviationId = requested.events[0].data.deviationId as string;
  await ok(stack.http.post(`/api/departments/${code}/deviations/${deviationId}/decision`).set('Authorization', programme).send({ decision: 'approved', reason: 'Costed' }));
  return code;
}
