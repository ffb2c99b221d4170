// Text of a field of a JSON body or stored record, where `String(value)` would print an object as `[object Object]`.

/** Strings as sent, numbers and booleans spelled out, lists joined by commas; `fallback` for absent or structured values. */
export function wireText(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map((item) => wireText(item)).join(',');
  return fallback;
}
