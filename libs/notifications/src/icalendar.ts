/**
 * The iCalendar object (RFC 5545) of one appointment as an iTIP request or
 * cancellation (RFC 5546): one event, its times in UTC. Written here rather
 * than with a general-purpose library because it is written for every
 * appointment e-mail (a library that validated its whole schema twice per
 * event took a sixth of the dispatcher's time) and because every value must
 * come out valid whatever a name contains.
 */
export interface CalendarEvent {
  /** PUBLISH: a file the family adds to a calendar themselves (no organizer or attendee needed). */
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  /** Stable across changes of the appointment, so calendar apps update the same event. */
  uid: string;
  /** Grows with every change. */
  sequence: number;
  /** When this version of the event was made (DTSTAMP). */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  location: string;
  organizer?: { name: string; email: string };
  attendee?: { name: string; email: string };
}

export function calendarEvent(event: CalendarEvent): string {
  const cancelled = event.method === 'CANCEL';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//perhe-booking//perhe-booking//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${event.method}`,
    'BEGIN:VEVENT',
    `UID:${text(event.uid)}`,
    `SEQUENCE:${Math.max(0, Math.trunc(event.sequence))}`,
    `DTSTAMP:${utc(event.stamp)}`,
    `DTSTART:${utc(event.start)}`,
    `DTEND:${utc(event.end)}`,
    `SUMMARY:${text(event.summary)}`,
    `LOCATION:${text(event.location)}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    ...(event.organizer ? [`ORGANIZER;CN=${param(event.organizer.name)}:${mailto(event.organizer.email)}`] : []),
    ...(event.attendee ? [`ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE;CN=${param(event.attendee.name)}:${mailto(event.attendee.email)}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** A UTC DATE-TIME, e.g. `20260312T060000Z`. */
function utc(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('calendar event time is not a valid date');
  return instant.toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}

// Control characters other than tab are allowed in no value; a line break in text is written as `\n`.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/g;

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line breaks as `\n`. */
function text(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(CONTROL, '');
}

/**
 * A quoted parameter value: a double quote cannot appear inside one, so `^`,
 * line breaks and `"` are written as `^^`, `^n` and `^'` (RFC 6868).
 */
function param(value: string): string {
  const encoded = value
    .replace(/\r\n?/g, '\n')
    .replace(/\^/g, '^^')
    .replace(/\n/g, '^n')
    .replace(/"/g, "^'")
    .replace(CONTROL, '');
  return `"${encoded}"`;
}

/** A CAL-ADDRESS: a `mailto:` URI, with anything a URI may not hold percent-encoded. */
function mailto(address: string): string {
  return `mailto:${encodeURI(address.trim())}`;
}

/** Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a character. */
function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    // The first line holds 75 octets; each continuation line a leading space and 74 more.
    if (octets + size > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
