import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error.js';

/** No command body is deeper than this; deeper JSON only serves to exhaust the stack. */
export const MAX_JSON_DEPTH = 16;
/** Keys that reach object prototypes when a library copies or merges what it was given. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A UTF-16 surrogate without its pair cannot be stored as UTF-8: PostgreSQL would keep U+FFFD and break the hash chain. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkString(text: string, where: string): void {
  if (text.includes('\u0000') || LONE_SURROGATE.test(text)) {
    throw new ApiError(400, 'invalid-characters', `${where} holds a NUL character or an unpaired surrogate`);
  }
}

/**
 * Walks a parsed JSON body once, never deeper than the limit (so the walk itself cannot
 * overflow): refuses deep nesting, prototype keys anywhere, and strings that no database
 * would store as given. Validation pipes and class-transformer then see only plain data.
 */
export function inspectJson(value: unknown, path = 'body', depth = 0): void {
  if (typeof value === 'string') return checkString(value, path);
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_JSON_DEPTH) throw new ApiError(400, 'too-deeply-nested', `the request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(value)) {
    value.forEach((item, index) => inspectJson(item, `${path}[${index}]`, depth + 1));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (PROTOTYPE_KEYS.has(key)) throw new ApiError(400, 'forbidden-property', `the property name "${key}" is not accepted`);
    checkString(key, `a property name in ${path}`);
    inspectJson(item, `${path}.${key}`, depth + 1);
  }
}

/** Runs after the JSON parser; also refuses NUL bytes in the URL, which no lookup can mean. */
export function safeInput(request: Request, _response: Response, next: NextFunction): void {
  try {
    if (/%00/.test(request.originalUrl)) throw new ApiError(400, 'invalid-characters', 'the request URL holds a NUL character');
    if (request.body !== undefined) inspectJson(request.body);
    next();
  } catch (error) {
    next(error);
  }
}
