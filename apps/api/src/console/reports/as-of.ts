const londonHour = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: 'Europe/London' });

/** The last instant of that day on London's clocks (GMT or BST), so "as at 31 March" includes all of it. */
export function endOfLondonDay(year: number, month: number, day: number): string {
  const offsetHours = Number(londonHour.format(new Date(Date.UTC(year, month - 1, day, 12)))) - 12;
  return new Date(Date.UTC(year, month - 1, day, 23, 59, 59, 999) - offsetHours * 3_600_000).toISOString();
}
