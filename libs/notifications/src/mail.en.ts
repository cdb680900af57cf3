import type { MailTexts } from './mail.fi';

export const mailEn: MailTexts = {
  locale: 'en-GB',
  greeting: 'Hello {name},',
  confirmation: { subject: 'Appointment booked: {service} {when}', intro: 'Your appointment is booked.' },
  rescheduled: { subject: 'Appointment moved: {service} {when}', intro: 'Your appointment has been moved to a new time.' },
  cancelled: {
    subject: 'Appointment cancelled: {service} {when}',
    byFamily: 'Your appointment is cancelled.',
    byStaff: 'The unit has cancelled your appointment.',
    reason: 'Reason: {reason}',
  },
  reminder: { subject: 'Reminder: {service} {when}', intro: 'A reminder of your coming appointment.' },
  labels: { service: 'Service', time: 'Time', place: 'Place', channel: 'How', reference: 'Booking reference' },
  channels: { 'in-person': 'Visit in person', phone: 'Phone call', video: 'Video call' },
  manage: 'You can move or cancel the appointment with this link:',
  preInformation: 'Please fill in the pre-information form before the visit:',
  manageLater: 'You can move or cancel the appointment with the link in your confirmation e-mail.',
  footer: 'This is an automatic message; replies are not read.',
  staff: {
    subject: 'A change in your calendar {when}',
    booked: 'A time in your calendar has been booked: {when}.',
    rescheduled: 'A time in your calendar has been moved: {when}.',
    cancelled: 'The time {when} in your calendar has been cancelled.',
    see: 'See the details in your calendar:',
  },
};
