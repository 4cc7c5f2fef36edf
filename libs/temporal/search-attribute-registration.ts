import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_TYPES } from './search-attributes.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;

const INDEXED_TYPE: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * Adds the project's custom search attributes to a cluster that lacks them, so a fresh
 * Temporal cluster needs no manual step. Safe to run from every worker at every start.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.entries(SEARCH_ATTRIBUTE_TYPES).filter(([name]) => !known.has(name));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, kind]) => [name, INDEXED_TYPE[kind]])),
    });
  } catch (error) {
    // Another worker starting at the same moment may have added them first.
    const again = await connection.operatorService.listSearchAttributes({ namespace });
    const stillMissing = missing.filter(([name]) => !(name in (again.customAttributes ?? {})));
    if (stillMissing.length > 0) throw error;
  }
  return missing.map(([name]) => name);
}
