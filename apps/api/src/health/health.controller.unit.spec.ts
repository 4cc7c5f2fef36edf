import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { SqlClient } from '../../../../libs/database/index.js';
import { HealthController } from './health.controller.js';

/** A database whose `SELECT 1` answers when the test says so, counting the checks it was asked for. */
function heldDatabase() {
  const waiting: Array<() => void> = [];
  const db = { checks: 0, query: () => ((db.checks += 1), new Promise<unknown[]>((resolve) => waiting.push(() => resolve([])))) };
  return { db, answerAll: () => waiting.splice(0).forEach((answer) => answer()) };
}

const temporal = { workflowService: { getSystemInfo: async () => ({}) } } as unknown as Client;
/** The HTTP status the controller sets. */
function response() {
  const recorded = { code: 0, status: (code: number) => ((recorded.code = code), recorded) };
  return recorded;
}

describe('HealthController', () => {
  it('lets probes that arrive during a check share it, and checks again for the next probe', async () => {
    const { db, answerAll } = heldDatabase();
    const controller = new HealthController(db as unknown as SqlClient, temporal);
    const responses = Array.from({ length: 10 }, response);
    const probes = responses.map((each) => controller.health(each as unknown as Response));
    await new Promise((resolve) => setImmediate(resolve));
    answerAll();
    const answers = await Promise.all(probes);
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill('ok'));
    expect(responses.map((each) => each.code)).toEqual(Array(10).fill(200));
    expect(db.checks).toBe(1);

    const next = controller.health(response() as unknown as Response);
    await new Promise((resolve) => setImmediate(resolve));
    answerAll();
    await next;
    expect(db.checks).toBe(2);
  });
});
