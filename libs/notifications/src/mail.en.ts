import type { MailTexts } from './mail.fi';

export const mailEn: MailTexts = {
  locale: 'en-GB',
  greeting: 'Hello {name},',
  confirmation: { subject: 'Appointment booked: {service} {when}', intro: 'Your appointment is booked.' },
  rescheduled: { subject: 'Appointment rescheduled: {service} {when}', intro: 'Your appointment has been moved to a new time.' },
  cancelled: {
    subject: 'Appointment cancelled: {service} {when}',
    byFamily: 'Your appointment has been cancelled.',
    byStaff: 'We have had to cancel your appointment.',
    reason: 'Reason: {reason}',
  },
  reminder: { subject: 'Reminder: {service} {when}', intro: 'This is a reminder of your upcoming appointment.' },
  labels: { service: 'Service', time: 'Time', place: 'Place', channel: 'Type of appointment', reference: 'Booking reference' },
  channels: { 'in-person': 'Visit in person', phone: 'Phone call', video: 'Video call' },
  manage: 'You can change or cancel your appointment using this link:',
  preInformation: 'Please fill in the pre-information form before the visit:',
  manageLater: 'You can change or cancel your appointment using the link in your confirmation e-mail.',
  footer: 'This is an automated message. Please do not reply to it.',
  staff: {
    subject: 'A change in your calendar {when}',
    booked: 'An appointment has been booked in your calendar: {when}.',
    rescheduled: 'An appointment in your calendar has been moved: {when}.',
    cancelled: 'The appointment on {when} in your calendar has been cancelled.',
    see: 'See the details in your calendar:',
  },
};
