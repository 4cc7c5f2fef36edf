import type { SearchAttributeType } from '@temporalio/common';
import { ONBOARDING_SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes.js';

/** How the Temporal CLI and the operator service name each SDK search attribute type. */
const CLUSTER_TYPE_NAMES = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
} as const satisfies Record<SearchAttributeType, string>;

export type SearchAttributeKind = (typeof CLUSTER_TYPE_NAMES)[SearchAttributeType];
export type SearchAttributeName = (typeof ONBOARDING_SEARCH_ATTRIBUTE_KEYS)[number]['name'];

/**
 * Custom search attributes that operations staff filter onboardings by, as the workflow
 * declares them. The worker registers them on a cluster that lacks them; the embedded dev
 * server gets them as `--search-attribute` flags.
 */
export const SEARCH_ATTRIBUTE_TYPES: Readonly<Record<SearchAttributeName, SearchAttributeKind>> = Object.fromEntries(
  ONBOARDING_SEARCH_ATTRIBUTE_KEYS.map((key) => [key.name, CLUSTER_TYPE_NAMES[key.type]]),
) as Record<SearchAttributeName, SearchAttributeKind>;
