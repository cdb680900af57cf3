import type { SubmissionMailTexts } from './submission-mail.fi';

export const submissionMailSv: SubmissionMailTexts = {
  subject: {
    arrival: 'Inkommen: {form} {reference}',
    forward: 'Överförd till er enhet: {form} {reference}',
    'sender-message': 'Nytt meddelande från avsändaren: {form} {reference}',
  },
  urgentPrefix: 'BRÅDSKANDE – ',
  intro: {
    arrival: 'Ett nytt ärende har kommit in till er enhets inkorg.',
    forward: 'En annan enhet har överfört ett ärende till er enhet för behandling.',
    'sender-message': 'Avsändaren har skrivit ett nytt meddelande i ett ärende som er enhet behandlar.',
  },
  urgent: 'Ärendet är markerat som brådskande. Behandla det genast.',
  labels: { reference: 'Referensnummer', form: 'Blankett', priority: 'Prioritet' },
  priorities: { normal: 'normal', urgent: 'brådskande' },
  open: 'Öppna ärendet genom att logga in i tjänsten:',
  noContent: 'Av datasäkerhetsskäl innehåller det här meddelandet inget av blankettens eller meddelandenas innehåll.',
  footer: 'Det här är ett automatiskt meddelande. Du kan inte svara på det.',
  reply: {
    subject: 'Svar på ditt meddelande {reference}',
    body: 'Du har fått ett svar på ditt meddelande {reference}.',
    read: 'Du kan läsa svaret med referensnumret och din kvittenskod på:',
    noContent: 'Det här meddelandet berättar inte vad svaret innehåller.',
    why: 'Du får det här meddelandet eftersom du bad om det när du skickade blanketten.',
  },
};
