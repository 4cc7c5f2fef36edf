import { DomainError, penceToPounds, poundsToPence } from './index.js';

describe('poundsToPence', () => {
  it.each([
    [0, 0],
    [1, 100],
    [12.34, 1234],
    [0.29, 29], // 0.29 * 100 = 28.999999999999996
    [1.15, 115], // 1.15 * 100 = 114.99999999999999
    [0.57, 57],
    [19.99, 1999],
    [400_000_000, 40_000_000_000],
  ])('converts £%p to %p pence exactly', (pounds, pence) => {
    expect(poundsToPence(pounds)).toBe(pence);
  });

  it('takes 0.1 + 0.2 as the 30 pence it was meant to be', () => {
    expect(poundsToPence(0.1 + 0.2)).toBe(30);
  });

  it('converts negative amounts symmetrically (the decider decides whether they are allowed)', () => {
    expect(poundsToPence(-12.34)).toBe(-1234);
    expect(poundsToPence(-0.29)).toBe(-29);
    expect(Object.is(poundsToPence(-0), 0)).toBe(true);
  });

  it.each([1.005, 0.001, 12.345, -0.125])('refuses a third decimal place (£%p)', (pounds) => {
    expect(() => poundsToPence(pounds)).toThrow(DomainError);
    expect(() => poundsToPence(pounds)).toThrow(/two decimal places/);
  });

  it.each([NaN, Infinity, -Infinity, '12' as unknown as number, null as unknown as number])(
    'refuses %p',
    (pounds) => {
      expect(() => poundsToPence(pounds)).toThrow(expect.objectContaining({ code: 'invalid-command' }));
    },
  );

  it('refuses amounts whose pence are not safe integers', () => {
    expect(() => poundsToPence(Number.MAX_SAFE_INTEGER)).toThrow(expect.objectContaining({ code: 'invalid-command' }));
  });
});

describe('penceToPounds', () => {
  it.each([
    [0, 0],
    [1234, 12.34],
    [29, 0.29],
    [1, 0.01],
    [-1234, -12.34],
  ])('converts %p pence to £%p', (pence, pounds) => {
    expect(penceToPounds(pence)).toBe(pounds);
  });

  it('round-trips every amount in pence', () => {
    for (let pence = -1000; pence <= 100_000; pence += 7) expect(poundsToPence(penceToPounds(pence))).toBe(pence);
  });

  it.each([0.5, NaN, 2 ** 53])('refuses %p pence', (pence) => {
    expect(() => penceToPounds(pence)).toThrow(expect.objectContaining({ code: 'invalid-command' }));
  });
});
