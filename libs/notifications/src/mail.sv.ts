import type { MailTexts } from './mail.fi';

export const mailSv: MailTexts = {
  locale: 'sv-FI',
  greeting: 'Hej {name},',
  confirmation: { subject: 'Tid bokad: {service} {when}', intro: 'Din tid är bokad.' },
  rescheduled: { subject: 'Tid flyttad: {service} {when}', intro: 'Din bokade tid har flyttats.' },
  cancelled: {
    subject: 'Tid avbokad: {service} {when}',
    byFamily: 'Din tid är avbokad.',
    byStaff: 'Verksamhetsstället har avbokat din tid.',
    reason: 'Orsak: {reason}',
  },
  reminder: { subject: 'Påminnelse: {service} {when}', intro: 'Vi påminner om din kommande tid.' },
  labels: { service: 'Tjänst', time: 'Tid', place: 'Plats', channel: 'Mötesform', reference: 'Bokningsnummer' },
  channels: { 'in-person': 'Besök på plats', phone: 'Telefonsamtal', video: 'Videosamtal' },
  manage: 'Du kan flytta eller avboka tiden via den här länken:',
  preInformation: 'Fyll i förhandsuppgifterna före besöket:',
  manageLater: 'Du kan flytta eller avboka tiden via länken i bekräftelsemeddelandet.',
  footer: 'Det här är ett automatiskt meddelande. Du kan inte svara på det.',
  staff: {
    subject: 'Ändring i din kalender {when}',
    booked: 'En tid har bokats i din kalender: {when}.',
    rescheduled: 'En tid i din kalender har flyttats: {when}.',
    cancelled: 'Tiden {when} i din kalender har avbokats.',
    see: 'Se uppgifterna i din kalender:',
  },
};
