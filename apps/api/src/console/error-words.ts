import type { ErrorBody } from '../common/api-error.js';
import { capitalise } from './view-filters.js';

/**
 * What a refused page says to a civil servant. The API's messages are written for its callers
 * ("your token does not cover…", "this action needs one of the roles…", Express's "Cannot GET
 * /x"); the console's error page says the same refusal in people's words, as a sentence.
 */
const IN_WORDS: Readonly<Record<string, string>> = {
  'forbidden-role': 'Your role does not let you use this page or make this change.',
  'out-of-scope': 'This is for a department you do not work on.',
  'not-found': 'There is no page at this web address.',
};

function asSentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const capitalised = capitalise(text);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export function inPeoplesWords(error: ErrorBody): ErrorBody {
  if (error.statusCode >= 500) return error;
  return { ...error, message: IN_WORDS[error.code] ?? asSentence(error.message) };
}
