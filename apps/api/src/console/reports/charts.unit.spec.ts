import { barChart } from './charts.js';
import { endOfLondonDay } from './as-of.js';

const chart = (overrides: Partial<Parameters<typeof barChart>[0]> = {}) =>
  barChart({
    id: 'c',
    title: 'Savings by department',
    description: 'Claimed and verified savings.',
    categories: ['DFT', 'HMT'],
    series: [
      { name: 'Claimed', values: [100, 50] },
      { name: 'Verified', values: [80, null] },
    ],
    format: (value) => `£${value}`,
    ...overrides,
  });

const bars = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="16"/g)].map(([, x, width]) => ({ x: Number(x), width: Number(width) }));

describe('a server-rendered bar chart', () => {
  it('is one image to assistive technology, named by its title and described by its description', () => {
    const svg = chart();
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c-title c-desc"/);
    expect(svg).toContain('<title id="c-title">Savings by department</title>');
    expect(svg).toContain('<desc id="c-desc">Claimed and verified savings.</desc>');
    expect(svg).toContain('<g aria-hidden="true">');
  });

  it('draws bars in proportion, and a missing figure as "no figure" rather than zero', () => {
    const svg = chart();
    const [dft, dftVerified, hmt] = bars(svg);
    expect(dft.width).toBeCloseTo(dftVerified.width * (100 / 80), 0);
    expect(dft.width).toBeCloseTo(hmt.width * 2, 0);
    expect(bars(svg)).toHaveLength(3);
    expect(svg).toContain('no figure');
    expect(svg).toContain('>£80<');
  });

  it('draws a negative value to the left of the zero line', () => {
    const svg = chart({ series: [{ name: 'Slippage', values: [30, -10] }] });
    const [late, early] = bars(svg);
    const zero = Number(/<line x1="([\d.]+)"/.exec(svg)![1]);
    expect(late.x).toBeCloseTo(zero, 0);
    expect(early.x + early.width).toBeCloseTo(zero, 0);
    expect(late.width).toBeCloseTo(early.width * 3, 0);
  });

  it('escapes names that come from people', () => {
    const svg = chart({ title: 'A & B', categories: ['<script>', 'x"y'], series: [{ name: "O'Neil", values: [1, 2] }] });
    expect(svg).toContain('A &amp; B');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('x&quot;y');
    expect(svg).not.toContain('<script>');
  });
});

describe('"as at the end of" a day', () => {
  it('is the last instant of that day on London clocks, in winter and in summer time', () => {
    expect(endOfLondonDay(2027, 1, 31)).toBe('2027-01-31T23:59:59.999Z');
    expect(endOfLondonDay(2027, 6, 30)).toBe('2027-06-30T22:59:59.999Z');
  });
});
