import { RestartPolicy } from './restart-policy.js';

const options = { initialDelayMs: 500, maxDelayMs: 3000, crashLoopCount: 5, windowMs: 60_000 };

describe('restarting a crashed child process', () => {
  it('restarts after the first crash quickly, and backs off while it keeps crashing', () => {
    const policy = new RestartPolicy(options);
    const delays = [0, 1000, 2000, 3000].map((at) => policy.onCrash(at));
    expect(delays).toEqual([
      { action: 'restart', delayMs: 500, recentCrashes: 1 },
      { action: 'restart', delayMs: 1000, recentCrashes: 2 },
      { action: 'restart', delayMs: 2000, recentCrashes: 3 },
      { action: 'restart', delayMs: 3000, recentCrashes: 4 },
    ]);
  });

  it('gives up on a crash loop: too many crashes inside the window', () => {
    const policy = new RestartPolicy(options);
    for (const at of [0, 1000, 2000, 3000]) policy.onCrash(at);
    expect(policy.onCrash(4000)).toEqual({ action: 'give-up', recentCrashes: 5 });
  });

  it('forgets crashes older than the window, so an occasional crash is always restarted', () => {
    const policy = new RestartPolicy(options);
    const decisions = [0, 70_000, 140_000, 210_000, 280_000, 350_000].map((at) => policy.onCrash(at));
    expect(decisions.every((decision) => decision.action === 'restart' && decision.delayMs === 500)).toBe(true);
  });
});
