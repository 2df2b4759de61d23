import { describe, expect, it } from 'vitest';
import { formatMoney, gstBreakdown, invoiceNumber, majorUnitString, minorUnitDigits } from './gst.js';
import { gstStateCode } from './indian-states.js';

describe('GST arithmetic', () => {
  it('takes the minor unit from Intl (JPY 0, INR 2, KWD 3)', () => {
    expect([minorUnitDigits('jpy'), minorUnitDigits('inr'), minorUnitDigits('KWD'), minorUnitDigits('BHD')]).toEqual([0, 2, 3, 3]);
    expect(majorUnitString(118000, 'inr')).toBe('1180.00');
    expect(majorUnitString(5, 'kwd')).toBe('0.005');
    expect(majorUnitString(1180, 'jpy')).toBe('1180');
  });

  it('formats for the currency with Indian grouping', () => {
    expect(formatMoney(11800000, 'inr')).toBe('₹1,18,000.00');
    expect(formatMoney(1180, 'jpy')).toBe('JP¥1,180');
    expect(formatMoney(12345, 'kwd', 'code')).toBe('KWD 12.345');
    expect(formatMoney(900719925474099, 'inr', 'code')).toBe('INR 90,07,19,92,54,740.99');
  });

  it('splits an amount that includes 18% GST into parts that add up to the minor unit', () => {
    expect(gstBreakdown(118000, 0.18, false)).toMatchObject({ taxableValue: 100000, tax: 18000, igst: 18000, cgst: 0, sgst: 0, kind: 'IGST', ratePercent: 18 });
    for (const amount of [1, 99, 100001, 4999, 123457, 999999999]) {
      for (const same of [true, false]) {
        const b = gstBreakdown(amount, 0.18, same);
        expect(b.taxableValue + b.tax).toBe(amount);
        expect(b.cgst + b.sgst + b.igst).toBe(b.tax);
        expect(Math.abs(b.taxableValue - amount / 1.18)).toBeLessThanOrEqual(0.5);
      }
    }
    expect(gstBreakdown(100001, 0.18, true)).toMatchObject({ taxableValue: 84747, tax: 15254, cgst: 7627, sgst: 7627 });
    expect(gstBreakdown(1001, 0.18, true)).toMatchObject({ taxableValue: 848, tax: 153, cgst: 77, sgst: 76 });
  });

  it('numbers the invoice from the payment intent', () => {
    expect(invoiceNumber('pi_3MtwBwLkdIwHu7ix28a3tqPa')).toBe('INV-28A3TQPA');
  });

  it('reads Indian states written as GST code, ISO code or name', () => {
    expect(['29', 'KA', 'IN-KA', 'karnataka', ' Karnataka '].map(gstStateCode)).toEqual(['29', '29', '29', '29', '29']);
    expect(gstStateCode('Tamil Nadu')).toBe('33');
    expect(gstStateCode('CA')).toBeNull();
    expect(gstStateCode(null)).toBeNull();
  });
});
