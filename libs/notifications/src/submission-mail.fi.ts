/**
 * Finnish texts of the content-free e-mails about submissions: to a unit and
 * its handlers when something arrives in their inbox, and to a sender who
 * asked to hear of a reply. sv and en have this type, so a missing text fails
 * the build. None of them may ever carry an answer, a name or a message.
 */
export const submissionMailFi = {
  /** What brought the submission to the inbox's attention. */
  subject: {
    arrival: 'Saapunut: {form} {reference}',
    forward: 'Siirretty yksikköönne: {form} {reference}',
    'sender-message': 'Uusi viesti lähettäjältä: {form} {reference}',
  },
  urgentPrefix: 'KIIREELLINEN – ',
  intro: {
    arrival: 'Yksikkönne saapuneisiin on tullut uusi asia.',
    forward: 'Toinen yksikkö on siirtänyt asian yksikkönne käsiteltäväksi.',
    'sender-message': 'Lähettäjä on kirjoittanut uuden viestin asiaan, joka on yksikkönne käsiteltävänä.',
  },
  urgent: 'Asia on merkitty kiireelliseksi. Käsittele se heti.',
  labels: { reference: 'Viitenumero', form: 'Lomake', priority: 'Kiireellisyys' },
  priorities: { normal: 'tavallinen', urgent: 'kiireellinen' },
  open: 'Avaa asia kirjautumalla palveluun:',
  noContent: 'Tietoturvasyistä tässä viestissä ei ole lomakkeen eikä viestien sisältöä.',
  footer: 'Tämä on automaattinen viesti, eikä siihen voi vastata.',
  /** To the sender who asked to be told of a reply. */
  reply: {
    subject: 'Vastaus viestiisi {reference}',
    body: 'Viestiisi {reference} on tullut vastaus.',
    read: 'Voit lukea vastauksen viitenumerolla ja kuittauskoodillasi osoitteessa:',
    noContent: 'Tässä viestissä ei kerrota vastauksen sisältöä.',
    why: 'Saat tämän ilmoituksen, koska pyysit sitä lomaketta lähettäessäsi.',
  },
};

export type SubmissionMailTexts = typeof submissionMailFi;
