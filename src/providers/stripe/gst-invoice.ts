import { formatMoney, type GstBreakdown } from './gst.js';

/** Everything printed on one GST invoice; numbers in minor units, computed by our code. */
export interface GstInvoice {
  number: string;
  /** ISO date of the payment (YYYY-MM-DD). */
  date: string;
  paymentIntentId: string;
  currency: string;
  business: { name: string; address: string; gstin: string | null; stateCode: string };
  customer: { name: string | null; email: string; stateCode: string | null; state: string | null };
  description: string;
  sac: string;
  gst: GstBreakdown;
}

/** The invoice's figures as printed (labels and formatted amounts), in order: the mail and the PDF both show these. */
export function invoiceLines(invoice: GstInvoice, display: 'symbol' | 'code'): Array<[label: string, amount: string]> {
  const money = (minor: number) => formatMoney(minor, invoice.currency, display);
  const { gst } = invoice;
  const half = gst.ratePercent / 2;
  const tax: Array<[string, string]> =
    gst.kind === 'CGST+SGST'
      ? [
          [`CGST @ ${half}%`, money(gst.cgst)],
          [`SGST @ ${half}%`, money(gst.sgst)],
        ]
      : [[`IGST @ ${gst.ratePercent}%`, money(gst.igst)]];
  return [['Taxable value', money(gst.taxableValue)], ...tax, ['Total (GST included)', money(gst.amount)]];
}
