import { ISO_DURATION_PATTERN, MAX_DEADLINE, parseIsoDuration } from './index.js';
import { requireDeadline } from './duration.js';

const SECOND = 1000;
const DAY = 86_400_000;

describe('parseIsoDuration', () => {
  it.each([
    ['P45D', 45 * DAY],
    ['P30D', 30 * DAY],
    ['PT5S', 5 * SECOND],
    ['PT0.5S', 500],
    ['P1W', 7 * DAY],
    ['P1Y', 365 * DAY],
    ['P1M', 30 * DAY],
    ['PT1M', 60 * SECOND],
    ['PT2H', 2 * 3600 * SECOND],
    ['P1DT12H', 1.5 * DAY],
    ['P1Y2M3DT4H5M6S', 365 * DAY + 60 * DAY + 3 * DAY + 4 * 3600 * SECOND + 5 * 60 * SECOND + 6 * SECOND],
    ['P0D', 0],
  ])('reads %s as %p ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'P1DT', '45D', 'P-1D', 'P1.5D', 'p45d', 'P45', 'PT5', 'P1H', 'P1D1Y', ' P1D', 'P1DT5S ', 'PT1.2345S'])(
    'refuses %p',
    (text) => {
      expect(() => parseIsoDuration(text)).toThrow(expect.objectContaining({ code: 'invalid-command' }));
      // The pattern the API documents refuses exactly what the parser refuses.
      expect(ISO_DURATION_PATTERN.test(text)).toBe(false);
    },
  );

  it('refuses non-strings', () => {
    expect(() => parseIsoDuration(45 as unknown as string)).toThrow(expect.objectContaining({ code: 'invalid-command' }));
  });

  it('refuses durations too long to hold in milliseconds', () => {
    expect(() => parseIsoDuration('P999999999999Y')).toThrow(expect.objectContaining({ code: 'invalid-command' }));
  });
});

describe('requireDeadline', () => {
  it('keeps the text as written and reads its length, up to the longest deadline', () => {
    expect(requireDeadline('P14D', 'by')).toEqual({ text: 'P14D', ms: 14 * DAY });
    expect(requireDeadline(MAX_DEADLINE, 'by')).toEqual({ text: MAX_DEADLINE, ms: 3650 * DAY });
  });

  it.each([
    ['a malformed duration', 'two weeks', { field: 'extendStage.by' }],
    ['a zero duration', 'P0D', { field: 'extendStage.by' }],
    ['one second past the longest deadline', 'P3650DT1S', { field: 'extendStage.by', max: MAX_DEADLINE }],
    ['a deadline past the last date there is', 'P99999999D', { field: 'extendStage.by', max: MAX_DEADLINE }],
    ['a number', 14, { field: 'extendStage.by' }],
  ])('refuses %s, naming the field', (_case, value, details) => {
    expect(() => requireDeadline(value, 'extendStage.by')).toThrow(expect.objectContaining({ code: 'invalid-command', details }));
  });
});
