import type { SubmissionMailTexts } from './submission-mail.fi';

export const submissionMailEn: SubmissionMailTexts = {
  subject: {
    arrival: 'Received: {form} {reference}',
    forward: 'Forwarded to your unit: {form} {reference}',
    'sender-message': 'New message from the sender: {form} {reference}',
  },
  urgentPrefix: 'URGENT – ',
  intro: {
    arrival: 'A new submission has arrived in your unit\'s inbox.',
    forward: 'Another unit has forwarded a submission to your unit.',
    'sender-message': 'The sender has written a new message about a submission your unit is handling.',
  },
  urgent: 'It is marked urgent. Please deal with it straight away.',
  labels: { reference: 'Reference', form: 'Form', priority: 'Priority' },
  priorities: { normal: 'normal', urgent: 'urgent' },
  open: 'Sign in to open it:',
  noContent: 'For data security reasons, this e-mail contains nothing of what was submitted or written.',
  footer: 'This is an automated message. Please do not reply to it.',
  reply: {
    subject: 'Reply to your message {reference}',
    body: 'There is a reply to your message {reference}.',
    read: 'You can read it with the reference number and your receipt code at:',
    noContent: 'This e-mail does not say what the reply says.',
    why: 'You are getting this e-mail because you asked for it when you sent the form.',
  },
};
