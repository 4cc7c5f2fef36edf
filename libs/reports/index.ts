export { savingsReport } from './savings.js';
export type { DepartmentSavings, SavingsReport } from './savings.js';
export { timetableReport } from './timetable.js';
export type { TimetableReport, TimetableRow } from './timetable.js';
export { benchmarksReport } from './benchmarks.js';
export type { CentreBenchmark } from './benchmarks.js';
export { toCsv } from './csv.js';
