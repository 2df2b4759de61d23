/**
 * GST arithmetic for the invoice: integers in the currency's smallest unit throughout, so the
 * parts always add up to what was paid. The amount paid includes GST at `rate`:
 * taxable value = amount / (1 + rate), tax = amount − taxable value, each rounded to the minor unit.
 */

/** Decimals of the currency's minor unit as ICU knows them (JPY 0, INR 2, KWD 3): never a hand table. */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** `123456` minor units of a 2-decimal currency → `"1234.56"` (exact: no floating point). */
export function majorUnitString(amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const text = Math.abs(amountMinor).toString().padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** The amount formatted for its currency (Indian grouping): `₹1,180.00`, `¥1,180`, `KWD 1.180`; `display: 'code'` gives `INR 1,180.00`. */
export function formatMoney(amountMinor: number, currency: string, display: 'symbol' | 'code' = 'symbol'): string {
  const code = currency.toUpperCase();
  const digits = minorUnitDigits(code);
  const format = new Intl.NumberFormat('en-IN', { style: 'currency', currency: code, currencyDisplay: display, minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Formatted from its decimal string, so large amounts keep every digit; spaces made plain for mail and PDF.
  return format.format(majorUnitString(amountMinor, code) as unknown as number).replace(/\u00a0/g, ' ');
}

export interface GstBreakdown {
  /** Everything in minor units. */
  amount: number;
  taxableValue: number;
  tax: number;
  /** intra-state supply: CGST + SGST, half each (CGST takes the odd minor unit); inter-state or unknown: IGST. */
  kind: 'CGST+SGST' | 'IGST';
  cgst: number;
  sgst: number;
  igst: number;
  /** The rate as a percentage, e.g. 18. */
  ratePercent: number;
}

export function gstBreakdown(amountMinor: number, rate: number, sameState: boolean): GstBreakdown {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw new Error(`amount ${amountMinor} is not a whole number of minor units`);
  // rate is a fraction such as 0.18: scale to an integer of basis points to keep the division exact.
  const basisPoints = Math.round(rate * 10_000);
  const taxableValue = Math.round((amountMinor * 10_000) / (10_000 + basisPoints));
  const tax = amountMinor - taxableValue;
  const cgst = sameState ? Math.ceil(tax / 2) : 0;
  const sgst = sameState ? tax - cgst : 0;
  return { amount: amountMinor, taxableValue, tax, kind: sameState ? 'CGST+SGST' : 'IGST', cgst, sgst, igst: sameState ? 0 : tax, ratePercent: basisPoints / 100 };
}

/** `INV-` + the last 8 characters of the payment intent id, upper-cased. */
export function invoiceNumber(paymentIntentId: string): string {
  return `INV-${paymentIntentId.slice(-8).toUpperCase()}`;
}
