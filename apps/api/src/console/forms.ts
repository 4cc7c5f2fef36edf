/** GOV.UK error summary entries, each linking to its field. */
export function errorList(errors: Record<string, string>): Array<{ text: string; href: string }> {
  return Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` }));
}
