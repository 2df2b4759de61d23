import { describe, expect, it } from 'vitest';
import { gstBreakdown } from './gst.js';
import type { GstInvoice } from './gst-invoice.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { pdfText } from './testing/pdf-text.js';

const invoice = (currency: string, amount: number, sameState: boolean): GstInvoice => ({
  number: 'INV-28A3TQPA',
  date: '2026-12-07',
  paymentIntentId: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
  currency,
  business: { name: 'Acme Software Pvt Ltd', address: '12 MG Road\\nBengaluru 560001', gstin: '29ABCDE1234F1Z5', stateCode: '29' },
  customer: { name: 'Ravi Kumar सिंह', email: 'ravi@customer.test', stateCode: sameState ? '29' : '27', state: sameState ? 'KA' : 'Maharashtra' },
  description: 'Pro plan, December 2026',
  sac: '998314',
  gst: gstBreakdown(amount, 0.18, sameState),
});

describe('the invoice PDF', () => {
  it('prints the business, the customer and the amounts, read back from the PDF', async () => {
    const text = await pdfText(await renderInvoicePdf(invoice('inr', 118000, true)));
    expect(text).toContain('TAX INVOICE');
    expect(text).toContain('Invoice number: INV-28A3TQPA');
    expect(text).toContain('GSTIN: 29ABCDE1234F1Z5');
    expect(text).toContain('12 MG Road');
    expect(text).toContain('Bengaluru 560001');
    expect(text).toContain('SAC: 998314');
    expect(text).toContain('Ravi Kumar ????');
    expect(text).toMatch(/Taxable value INR 1,000\.00/);
    expect(text).toMatch(/CGST @ 9% INR 90\.00/);
    expect(text).toMatch(/SGST @ 9% INR 90\.00/);
    expect(text).toMatch(/Total \(GST included\) INR 1,180\.00/);
    expect(text).not.toContain('IGST');
  });

  it('prints IGST for another state, and the currency’s own decimals', async () => {
    const kwd = await pdfText(await renderInvoicePdf(invoice('kwd', 12345, false)));
    expect(kwd).toMatch(/Taxable value KWD 10\.462/);
    expect(kwd).toMatch(/IGST @ 18% KWD 1\.883/);
    expect(kwd).toMatch(/Total \(GST included\) KWD 12\.345/);
    expect(kwd).not.toContain('CGST');
    const jpy = await pdfText(await renderInvoicePdf(invoice('jpy', 1180, false)));
    expect(jpy).toMatch(/Taxable value JPY 1,000 /);
    expect(jpy).toMatch(/Total \(GST included\) JPY 1,180 /);
  });
});
