/** Finnish e-mail texts; sv and en have this type, so a missing text fails the build. */
export const mailFi = {
  locale: 'fi-FI',
  greeting: 'Hei {name},',
  confirmation: { subject: 'Aika varattu: {service} {when}', intro: 'Aikasi on varattu.' },
  rescheduled: { subject: 'Aika siirretty: {service} {when}', intro: 'Aikasi on siirretty uuteen aikaan.' },
  cancelled: {
    subject: 'Aika peruttu: {service} {when}',
    byFamily: 'Aikasi on peruttu.',
    byStaff: 'Toimipiste on perunut aikasi.',
    reason: 'Syy: {reason}',
  },
  reminder: { subject: 'Muistutus: {service} {when}', intro: 'Muistutamme tulevasta ajastasi.' },
  labels: { service: 'Palvelu', time: 'Aika', place: 'Paikka', channel: 'Asiointitapa', reference: 'Varaustunnus' },
  channels: { 'in-person': 'Käynti paikan päällä', phone: 'Puhelu', video: 'Videoyhteys' },
  manage: 'Voit siirtää tai perua ajan tästä linkistä:',
  preInformation: 'Täytä ennen käyntiä esitietolomake:',
  manageLater: 'Voit siirtää tai perua ajan vahvistusviestissä olevasta linkistä.',
  footer: 'Tämä on automaattinen viesti, eikä siihen voi vastata.',
  staff: {
    subject: 'Muutos kalenterissasi {when}',
    booked: 'Kalenteriisi on varattu aika {when}.',
    rescheduled: 'Kalenterissasi oleva aika on siirretty: {when}.',
    cancelled: 'Kalenterissasi oleva aika {when} on peruttu.',
    see: 'Katso tiedot kalenteristasi:',
  },
};

export type MailTexts = typeof mailFi;
