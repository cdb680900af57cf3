import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { type Lang, toHelsinkiIso } from '@app/platform';
import { ANSWER_TEXTS as TEXTS, formatTime, summarize } from './answer-format';
import type { OpenedSubmission } from './submissions.service';

const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
/** Read once: each document parses them, but no render waits on the disk. */
const FONT_REGULAR = readFileSync(join(FONT_DIR, 'DejaVuSans.ttf'));
const FONT_BOLD = readFileSync(join(FONT_DIR, 'DejaVuSans-Bold.ttf'));

/**
 * A submission as a tagged, accessible PDF (document language, title,
 * headings and paragraphs in the structure tree) with DejaVu Sans embedded,
 * in the submission's language unless another is asked for.
 */
@Injectable()
export class SubmissionPdf {
  render(submission: OpenedSubmission, lang: Lang = submission.language): Promise<Buffer> {
    const definition = submission.form.definition;
    const title = definition.title[lang];
    const t = TEXTS[lang];
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: 60, bottom: 60, left: 60, right: 60 },
      pdfVersion: '1.7',
      tagged: true,
      lang: t.locale,
      displayTitle: true,
      bufferPages: true,
      info: { Title: `${title} ${submission.reference}`, Subject: definition.id, Creator: 'Perhe booking', CreationDate: submission.submittedAt },
    });
    doc.registerFont('regular', FONT_REGULAR);
    doc.registerFont('bold', FONT_BOLD);
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });

    const root = doc.struct('Document');
    doc.addStructure(root);
    const block = (tag: 'H1' | 'H2' | 'H3' | 'P', text: string, font: 'regular' | 'bold', size: number, gap: number) => {
      root.add(doc.struct(tag, {}, () => doc.font(font).fontSize(size).text(text, { paragraphGap: gap })));
    };
    // A heading or a question's label never stands alone at the foot of a page.
    const keepWithNext = (space = 60) => {
      if (doc.y > doc.page.height - doc.page.margins.bottom - space) doc.addPage();
    };

    block('H1', title, 'bold', 18, 8);
    block('P', `${t.reference}: ${submission.reference}`, 'regular', 10, 2);
    block('P', `${t.submitted}: ${formatTime(submission.submittedAt, lang)} (${toHelsinkiIso(submission.submittedAt)})`, 'regular', 10, 2);
    block('P', `${t.version}: ${definition.id} v${definition.version}`, 'regular', 10, 14);

    let pageTitle: string | undefined;
    for (const q of summarize(submission, lang)) {
      if (q.page !== pageTitle) {
        pageTitle = q.page;
        keepWithNext(90);
        block('H2', q.page, 'bold', 14, 6);
      }
      keepWithNext();
      if (q.items) {
        block('P', q.label, 'bold', 11, 4);
        q.items.forEach((item, i) => {
          keepWithNext();
          block('H3', `${q.itemLabel} ${i + 1}`, 'bold', 11, 3);
          for (const nested of item) {
            keepWithNext();
            block('P', nested.label, 'bold', 10, 1);
            block('P', nested.value, 'regular', 10, 6);
          }
        });
        continue;
      }
      block('P', q.label, 'bold', 10, 1);
      block('P', q.value, 'regular', 10, 8);
    }
    root.end();

    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.markContent('Artifact', { type: 'Pagination' });
      doc.font('regular').fontSize(8).text(t.page.replace('{n}', String(i + 1)).replace('{total}', String(count)), 60, doc.page.height - 40, {
        width: doc.page.width - 120,
        align: 'right',
      });
      doc.endMarkedContent();
      doc.page.margins.bottom = bottom;
    }
    doc.end();
    return done;
  }
}

