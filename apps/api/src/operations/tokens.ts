/** The API's structured JSON logger (libs/operations JsonLogger). */
export const OPERATIONS_LOGGER = Symbol('OperationsLogger');
