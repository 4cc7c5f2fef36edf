import { P99_SAMPLES, pairedRun, percentiles, ratio, rotatedRun, samplesForP99 } from './stats.js';

describe('percentiles', () => {
  it('takes the nearest rank: of 1..200 ms, p50 is 100 and p99 is 198', () => {
    const samples = Array.from({ length: 200 }, (_, index) => 200 - index);
    expect(percentiles(samples)).toEqual({ p50: 100, p99: 198 });
  });

  it('reports a single sample as both percentiles', () => {
    expect(percentiles([12.345])).toEqual({ p50: 12.35, p99: 12.35 });
  });

  it('refuses to summarise nothing', () => {
    expect(() => percentiles([])).toThrow('no samples');
  });
});

describe('samplesForP99', () => {
  it('raises a series judged on its p99 to enough calls that three slow ones do not decide it', () => {
    // Three pauses among 200 calls are the p99; among 1,000 they are below it.
    const slowest = (length: number) => Array.from({ length }, (_, index) => (index < 3 ? 50 : 1));
    expect(percentiles(slowest(200)).p99).toBe(50);
    expect(percentiles(slowest(samplesForP99(200))).p99).toBe(1);
    expect(samplesForP99(200)).toBe(P99_SAMPLES);
    expect(samplesForP99(5000)).toBe(5000);
  });
});

describe('ratio', () => {
  it('divides the measured percentiles by the baseline ones', () => {
    expect(ratio({ p50: 30, p99: 90 }, { p50: 10, p99: 60 })).toEqual({ p50: 3, p99: 1.5 });
  });
});

describe('pairedRun', () => {
  it('keeps the samples after the warm-up, alternating which call goes first', async () => {
    const order: string[] = [];
    const series = await pairedRun(
      async (index) => void order.push(`m${index}`),
      async (index) => void order.push(`b${index}`),
      { samples: 3, warmup: 1, signal: new AbortController().signal },
    );

    expect(series.measured).toHaveLength(3);
    expect(series.baseline).toHaveLength(3);
    expect(order).toEqual(['m0', 'b0', 'b1', 'm1', 'm2', 'b2', 'b3', 'm3']);
  });

  it('stops between calls once aborted', async () => {
    const interrupted = new AbortController();
    let calls = 0;
    const run = pairedRun(
      async () => {
        calls += 1;
        interrupted.abort(new Error('interrupted'));
      },
      async () => undefined,
      { samples: 10, warmup: 0, signal: interrupted.signal },
    );

    await expect(run).rejects.toThrow('interrupted');
    expect(calls).toBe(1);
  });
});

describe('rotatedRun', () => {
  it('makes every call once a round, rotating which goes first, and keeps one series per call after the warm-up', async () => {
    const order: string[] = [];
    const call = (name: string) => async (index: number) => void order.push(`${name}${index}`);
    const series = await rotatedRun([call('a'), call('b'), call('c')], { samples: 2, warmup: 1, signal: new AbortController().signal });

    expect(series.map((calls) => calls.length)).toEqual([2, 2, 2]);
    expect(order).toEqual(['a0', 'b0', 'c0', 'b1', 'c1', 'a1', 'c2', 'a2', 'b2']);
  });
});
