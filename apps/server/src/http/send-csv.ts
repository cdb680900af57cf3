import type { Request, Response } from 'express';

/** Whether the client prefers CSV to JSON (`Accept: text/csv`). */
export function wantsCsv(req: Request): boolean {
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

/** Sends CSV as a download named `filename`; never cached. */
export function sendCsv(res: Response, csv: { filename: string; body: string }): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${csv.filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.end(csv.body);
}
