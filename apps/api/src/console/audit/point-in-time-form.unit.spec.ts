import { londonInstant, pointInTimeFrom } from './point-in-time-form.js';

const NOW = new Date('2027-06-15T10:00:00Z');

describe('the "state as of a date" form', () => {
  describe('a real date', () => {
    it('means the end of that day in London, in winter (GMT)', () => {
      expect(pointInTimeFrom({ by: 'date', day: '31', month: '1', year: '2027' }, NOW)).toEqual({
        kind: 'date',
        asOf: '2027-01-31T23:59:59.999Z',
        description: 'the end of 31 January 2027 (London time)',
      });
    });

    it('means the end of that day in London, in summer (BST, an hour ahead of UTC)', () => {
      expect(pointInTimeFrom({ by: 'date', day: '1', month: '6', year: '2027' }, NOW)).toMatchObject({ asOf: '2027-06-01T22:59:59.999Z' });
    });

    it('takes a time on the 24-hour clock, with a colon or a full stop', () => {
      expect(pointInTimeFrom({ by: 'date', day: '01', month: '06', year: '2027', time: '9.05' }, NOW)).toEqual({
        kind: 'date',
        asOf: '2027-06-01T08:05:00.000Z',
        description: '1 June 2027 at 09:05 (London time)',
      });
    });

    it('allows today, even a time later today', () => {
      expect(pointInTimeFrom({ by: 'date', day: '15', month: '6', year: '2027', time: '23:00' }, NOW)).toMatchObject({ kind: 'date' });
    });
  });

  describe('what is wrong with an answer', () => {
    it.each([
      [{}, 'date', 'Enter the date to look at'],
      [{ day: '1', year: '2027' }, 'date', 'The date must include a month'],
      [{ day: '1' }, 'date', 'The date must include a month and a year'],
      [{ day: '31', month: '2', year: '2027' }, 'date', 'The date must be a real date, for example 31 3 2027'],
      [{ day: '1', month: '13', year: '2027' }, 'date', 'The date must be a real date, for example 31 3 2027'],
      [{ day: 'one', month: '1', year: '2027' }, 'date', 'The date must be a real date, for example 31 3 2027'],
      [{ day: '1', month: '1', year: '27' }, 'date', 'The date must be a real date, for example 31 3 2027'],
      [{ day: '16', month: '6', year: '2027' }, 'date', 'The date must be today or in the past'],
      [{ day: '1', month: '1', year: '2027', time: '25:00' }, 'time', 'Enter the time as hours and minutes on the 24-hour clock, for example 17:30'],
      [{ day: '1', month: '1', year: '2027', time: 'noon' }, 'time', 'Enter the time as hours and minutes on the 24-hour clock, for example 17:30'],
    ])('%j: %s — %s', (answers, field, message) => {
      expect(pointInTimeFrom({ by: 'date', ...answers }, NOW)).toEqual({ kind: 'invalid', errors: { [field]: message } });
    });

    it('ignores a parameter repeated into a list rather than failing on it', () => {
      expect(pointInTimeFrom({ by: 'date', day: ['1', '2'], month: '1', year: '2027' }, NOW)).toEqual({
        kind: 'invalid',
        errors: { date: 'The date must include a day' },
      });
    });
  });

  it('passes a version on as typed, for the API to judge', () => {
    expect(pointInTimeFrom({ by: 'version', version: ' 3 ' }, NOW)).toEqual({ kind: 'version', version: '3' });
  });

  it('asks for nothing when neither form was sent', () => {
    expect(pointInTimeFrom({ version: '3' }, NOW)).toEqual({ kind: 'none' });
  });
});

describe('London wall-clock time', () => {
  it('finds the instant on both sides of the clocks going forward and back', () => {
    expect(londonInstant(2027, 3, 28, 0, 30).toISOString()).toBe('2027-03-28T00:30:00.000Z');
    expect(londonInstant(2027, 3, 28, 2, 30).toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(londonInstant(2027, 10, 31, 0, 30).toISOString()).toBe('2027-10-30T23:30:00.000Z');
    expect(londonInstant(2027, 10, 31, 12, 0).toISOString()).toBe('2027-10-31T12:00:00.000Z');
  });
});
