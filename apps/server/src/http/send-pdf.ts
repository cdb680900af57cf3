import type { Response } from 'express';

/** Sends a PDF to be shown in the browser, named by its reference; never cached. */
export function sendPdf(res: Response, reference: string, pdf: Buffer): void {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `inline; filename="${reference}.pdf"`);
  res.setHeader('Cache-Control', 'no-store');
  res.end(pdf);
}
