/**
 * A string union's members at run time. They are written once, as the keys of an object
 * typed `Record<T, true>`, so the compiler refuses a member left out or one the union does
 * not have; the list and the guard both come from that object.
 */
export function unionMembers<T extends string>(members: Record<T, true>): { readonly all: readonly T[]; readonly has: (value: unknown) => value is T } {
  const all = Object.freeze(Object.keys(members) as T[]);
  return { all, has: (value: unknown): value is T => typeof value === 'string' && Object.prototype.hasOwnProperty.call(members, value) };
}
