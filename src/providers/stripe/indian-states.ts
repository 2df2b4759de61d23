/** Indian states and union territories: GST state code, ISO 3166-2:IN subdivision code, name (and other names in use). */
const STATES: ReadonlyArray<readonly [gst: string, iso: string, ...names: string[]]> = [
  ['01', 'JK', 'Jammu and Kashmir'],
  ['02', 'HP', 'Himachal Pradesh'],
  ['03', 'PB', 'Punjab'],
  ['04', 'CH', 'Chandigarh'],
  ['05', 'UK', 'Uttarakhand', 'UT', 'Uttaranchal'],
  ['06', 'HR', 'Haryana'],
  ['07', 'DL', 'Delhi', 'New Delhi', 'NCT of Delhi'],
  ['08', 'RJ', 'Rajasthan'],
  ['09', 'UP', 'Uttar Pradesh'],
  ['10', 'BR', 'Bihar'],
  ['11', 'SK', 'Sikkim'],
  ['12', 'AR', 'Arunachal Pradesh'],
  ['13', 'NL', 'Nagaland'],
  ['14', 'MN', 'Manipur'],
  ['15', 'MZ', 'Mizoram'],
  ['16', 'TR', 'Tripura'],
  ['17', 'ML', 'Meghalaya'],
  ['18', 'AS', 'Assam'],
  ['19', 'WB', 'West Bengal'],
  ['20', 'JH', 'Jharkhand'],
  ['21', 'OD', 'Odisha', 'OR', 'Orissa'],
  ['22', 'CG', 'Chhattisgarh', 'CT'],
  ['23', 'MP', 'Madhya Pradesh'],
  ['24', 'GJ', 'Gujarat'],
  ['26', 'DH', 'Dadra and Nagar Haveli and Daman and Diu', 'DN', 'DD', 'Daman and Diu', 'Dadra and Nagar Haveli'],
  ['27', 'MH', 'Maharashtra'],
  ['29', 'KA', 'Karnataka'],
  ['30', 'GA', 'Goa'],
  ['31', 'LD', 'Lakshadweep'],
  ['32', 'KL', 'Kerala'],
  ['33', 'TN', 'Tamil Nadu'],
  ['34', 'PY', 'Puducherry', 'Pondicherry'],
  ['35', 'AN', 'Andaman and Nicobar Islands'],
  ['36', 'TG', 'Telangana', 'TS'],
  ['37', 'AP', 'Andhra Pradesh'],
  ['38', 'LA', 'Ladakh'],
];

const simplify = (value: string) => value.trim().toLowerCase().replace(/^in-/, '').replace(/&/g, 'and').replace(/[^a-z0-9]/g, '');

const BY_ALIAS = new Map<string, string>();
for (const [gst, ...aliases] of STATES) {
  BY_ALIAS.set(gst, gst);
  BY_ALIAS.set(String(Number(gst)), gst);
  for (const alias of aliases) BY_ALIAS.set(simplify(alias), gst);
}

/** The GST state code (`29`) of a state written as a GST code, ISO code (`KA`, `IN-KA`) or name; null when not an Indian state. */
export function gstStateCode(value: string | null | undefined): string | null {
  if (!value) return null;
  return BY_ALIAS.get(simplify(value)) ?? null;
}
