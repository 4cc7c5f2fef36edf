/** The fault drills of `npm run soak`, in the order they run. */
export const DRILLS = ['load', 'worker-kill', 'temporal-outage', 'postgres-outage', 'api-kill'] as const;
export type DrillName = (typeof DRILLS)[number];

export const DRILL_TITLES: Readonly<Record<DrillName, string>> = {
  load: '1 load to LIVE, no fault',
  'worker-kill': '2 worker SIGKILLed, restarted',
  'temporal-outage': '3 Temporal server stopped, restarted',
  'postgres-outage': '4 PostgreSQL stopped, restarted',
  'api-kill': '5 API SIGKILLed in flight',
};

/** `1,2,5` or `load,api-kill` → drill names in run order. */
export function parseDrills(text: string): DrillName[] {
  const wanted = new Set<DrillName>();
  for (const item of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const byNumber = /^\d+$/.test(item) ? DRILLS[Number(item) - 1] : undefined;
    const drill = byNumber ?? DRILLS.find((name) => name === item);
    if (!drill) throw new Error(`unknown drill "${item}": use 1-${DRILLS.length} or ${DRILLS.join(', ')}`);
    wanted.add(drill);
  }
  if (wanted.size === 0) throw new Error('name at least one drill');
  return DRILLS.filter((drill) => wanted.has(drill));
}
