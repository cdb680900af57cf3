import type { EscalationTexts } from './escalation.fi';

export const escalationEn: EscalationTexts = {
  locale: 'en-GB',
  warning: {
    subject: 'Deadline approaching: {deadline}, {reference}',
    intro: 'A deadline for a submission in your unit is near, and what it requires has not been recorded yet.',
  },
  overdue: {
    subject: 'Deadline passed: {deadline}, {reference}',
    intro: 'A deadline for a submission in your unit has passed, and what it requires has not been recorded yet.',
  },
  deadlines: {
    assessment: 'Urgency assessment',
    decision: 'Decision on opening a child welfare case',
    'first-contact': 'First contact',
  },
  labels: { reference: 'Reference', form: 'Form', deadline: 'Deadline', due: 'Due' },
  dueDay: '{date} (by the end of the day)',
  open: 'Open the submission in your unit\'s inbox:',
  noContent: 'This message contains nothing of the submission itself. Once you record what was done, no further messages are sent about this deadline.',
  footer: 'This is an automated message. Please do not reply to it.',
};
