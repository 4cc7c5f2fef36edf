import { headlineFigures } from './figures.js';

const timetable = (summary: object) => headlineFigures({ totals: {} }, { summary });
const figure = (summary: object, label: string) => timetable(summary).find((candidate) => candidate.label === label)?.value;

describe('the overview headline figures', () => {
  it('writes counts of days with thousands separators, as GOV.UK does', () => {
    expect(figure({ averageSlippageDays: 10107 }, 'Average slippage against planned go-live')).toBe('10,107 days');
  });

  it('keeps one decimal place and says a single day in the singular', () => {
    expect(figure({ averageSlippageDays: 12.345 }, 'Average slippage against planned go-live')).toBe('12.3 days');
    expect(figure({ averageSlippageDays: 1 }, 'Average slippage against planned go-live')).toBe('1 day');
  });

  it('says so when there is no figure yet', () => {
    expect(figure({ averageSlippageDays: null }, 'Average slippage against planned go-live')).toBe('None yet');
  });

  it('counts departments with separators too', () => {
    expect(figure({ live: 1200 }, 'Departments live')).toBe('1,200');
  });
});
