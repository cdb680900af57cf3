/**
 * Finnish texts of the deadline e-mails to a unit (escalations of the legal
 * clocks); sv and en have this type, so a missing text fails the build.
 * Content-free by design: a reference, the form's title, which deadline,
 * when it falls due, and a link.
 */
export const escalationFi = {
  locale: 'fi-FI',
  warning: {
    subject: 'Määräaika lähestyy: {deadline}, {reference}',
    intro: 'Yksikkönne asian määräaika on lähellä, eikä tarvittavaa kirjausta ole vielä tehty.',
  },
  overdue: {
    subject: 'Määräaika ylittynyt: {deadline}, {reference}',
    intro: 'Yksikkönne asian määräaika on ylittynyt, eikä tarvittavaa kirjausta ole vielä tehty.',
  },
  deadlines: {
    assessment: 'Kiireellisyyden arvio',
    decision: 'Päätös lastensuojeluasian vireille tulosta',
    'first-contact': 'Ensimmäinen yhteydenotto',
  },
  labels: { reference: 'Viitenumero', form: 'Lomake', deadline: 'Määräaika', due: 'Viimeistään' },
  dueDay: '{date} (päivän loppuun)',
  open: 'Avaa asia yksikön saapuneista:',
  noContent: 'Viestissä ei ole asian sisältöä. Kun kirjaat tehdyn toimenpiteen asiaan, tästä määräajasta ei lähetetä enempää viestejä.',
  footer: 'Tämä on automaattinen viesti, eikä siihen voi vastata.',
};

export type EscalationTexts = typeof escalationFi;
