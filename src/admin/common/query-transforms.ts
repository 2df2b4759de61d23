/** Query-string values arrive as strings: `limit=20` becomes 20; anything else is left for validation to refuse. */
export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** `status=DEAD&status=FAILED`, `status=DEAD,FAILED` and `["DEAD","FAILED"]` all mean the same. */
export const toList = ({ value }: { value: unknown }) => {
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => (typeof item === 'string' ? item.split(',').map((s) => s.trim()).filter(Boolean) : [item]));
};
