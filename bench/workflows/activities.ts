/** The bench baseline worker's only activity: the cheapest step a workflow can schedule. */
export const benchActivities = {
  async noop(): Promise<void> {},
};

export type BenchActivities = typeof benchActivities;
