import type { EscalationTexts } from './escalation.fi';

export const escalationSv: EscalationTexts = {
  locale: 'sv-FI',
  warning: {
    subject: 'Tidsfristen närmar sig: {deadline}, {reference}',
    intro: 'Tidsfristen för ett ärende i er enhet närmar sig, och det som krävs har ännu inte registrerats.',
  },
  overdue: {
    subject: 'Tidsfristen har löpt ut: {deadline}, {reference}',
    intro: 'Tidsfristen för ett ärende i er enhet har löpt ut, och det som krävs har ännu inte registrerats.',
  },
  deadlines: {
    assessment: 'Bedömning av hur brådskande ärendet är',
    decision: 'Beslut om att inleda ett barnskyddsärende',
    'first-contact': 'Första kontakt',
  },
  labels: { reference: 'Referensnummer', form: 'Blankett', deadline: 'Tidsfrist', due: 'Senast' },
  dueDay: '{date} (före dagens slut)',
  open: 'Öppna ärendet i enhetens inkorg:',
  noContent: 'Meddelandet innehåller inga uppgifter ur ärendet. När du registrerar åtgärden i ärendet skickas inga fler meddelanden om den här tidsfristen.',
  footer: 'Det här är ett automatiskt meddelande. Det går inte att svara på det.',
};
