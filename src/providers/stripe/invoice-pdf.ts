import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { type GstInvoice, invoiceLines } from './gst-invoice.js';

/**
 * The invoice as a one-page PDF (pdf-lib, standard Helvetica). Amounts are printed with the
 * currency's code (INR 1,180.00): the standard fonts have no ₹ glyph. Text the fonts cannot encode
 * (a customer's name in Devanagari, say) is replaced by `?` rather than failing the invoice.
 */
export async function renderInvoicePdf(invoice: GstInvoice): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Tax invoice ${invoice.number}`);
  pdf.setAuthor(invoice.business.name);
  pdf.setCreationDate(new Date(`${invoice.date}T00:00:00Z`));
  pdf.setModificationDate(new Date(`${invoice.date}T00:00:00Z`));
  const page = pdf.addPage([595.28, 841.89]); // A4
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const writer = new Writer(page, regular, bold);

  writer.line('TAX INVOICE', { size: 18, bold: true });
  writer.gap(6);
  writer.line(invoice.business.name, { bold: true });
  for (const part of invoice.business.address.split(/\\n|\n/).filter(Boolean)) writer.line(part);
  if (invoice.business.gstin) writer.line(`GSTIN: ${invoice.business.gstin}`);
  writer.line(`State code: ${invoice.business.stateCode}`);
  writer.gap(10);
  writer.line(`Invoice number: ${invoice.number}`, { bold: true });
  writer.line(`Invoice date: ${invoice.date}`);
  writer.line(`Payment reference: ${invoice.paymentIntentId}`);
  writer.gap(10);
  writer.line('Billed to', { bold: true });
  if (invoice.customer.name) writer.line(invoice.customer.name);
  writer.line(invoice.customer.email);
  writer.line(`Place of supply: ${invoice.customer.state ? `${invoice.customer.state}${invoice.customer.stateCode ? ` (${invoice.customer.stateCode})` : ''}` : 'not given'}`);
  writer.gap(10);
  writer.line('Description', { bold: true });
  writer.line(invoice.description);
  writer.line(`SAC: ${invoice.sac}`);
  writer.gap(10);
  for (const [label, amount] of invoiceLines(invoice, 'code')) writer.row(label, amount, label.startsWith('Total'));
  writer.gap(16);
  writer.line('The amount paid includes GST. This is a computer-generated invoice.', { size: 9 });

  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

class Writer {
  private y = 800;
  private readonly left = 50;
  private readonly right = 545;

  constructor(
    private readonly page: PDFPage,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {}

  line(text: string, options: { size?: number; bold?: boolean } = {}): void {
    const size = options.size ?? 11;
    const font = options.bold ? this.bold : this.regular;
    this.page.drawText(encodable(text, font), { x: this.left, y: this.y, size, font, color: rgb(0, 0, 0) });
    this.y -= size + 5;
  }

  row(label: string, amount: string, emphasis: boolean): void {
    const font = emphasis ? this.bold : this.regular;
    const size = 11;
    this.page.drawText(encodable(label, font), { x: this.left, y: this.y, size, font });
    const text = encodable(amount, font);
    this.page.drawText(text, { x: this.right - font.widthOfTextAtSize(text, size), y: this.y, size, font });
    this.y -= size + 7;
  }

  gap(points: number): void {
    this.y -= points;
  }
}

/** The text with every character the font cannot encode replaced by `?`. */
function encodable(text: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  return [...text].map((c) => (supported.has(c.codePointAt(0)!) ? c : '?')).join('');
}
