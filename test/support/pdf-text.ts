import { execFile } from 'node:child_process';

// pdf.js needs real dynamic imports, which Jest's sandbox lacks: parse in a plain Node process.
const SCRIPT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: Buffer.concat(chunks) });
  const text = await parser.getText();
  const info = await parser.getInfo();
  process.stdout.write(JSON.stringify({ text: text.text, pages: text.total, info: info.info, pageTexts: text.pages.map((p) => p.text) }));
  await parser.destroy();
});`;

export interface PdfText {
  text: string;
  pages: number;
  info: Record<string, unknown>;
  pageTexts: string[];
}

/** Extracts the text of a PDF with pdf.js, as a reader's tool would. */
export function pdfText(pdf: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', SCRIPT], { maxBuffer: 20 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as PdfText),
    );
    child.stdin!.end(pdf);
  });
}
