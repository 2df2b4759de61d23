import { extractText, getDocumentProxy } from 'unpdf';

/** The text of every page of a PDF, read back with unpdf (PDF.js), whitespace runs made single spaces. */
export async function pdfText(pdf: Buffer | Uint8Array): Promise<string> {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(document, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}
