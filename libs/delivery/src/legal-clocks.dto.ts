import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsDateTime, type Lang } from '@app/platform';

type Labels = Record<Lang, string>;

/** The urgency assessment of a child-welfare notification (Lastensuojelulaki 417/2007 §26: at once). */
export const ASSESSMENT_RESULTS = ['urgent-action', 'not-urgent'] as const;
export type AssessmentResult = (typeof ASSESSMENT_RESULTS)[number];

/** The decision on a child-welfare notification within 7 working days: a case opened, none needed, or the child already a client. */
export const DECISIONS = ['case-opened', 'no-case', 'existing-client'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Who is told of a child-welfare notification. */
export const INFORMED_PARTIES = ['child', 'guardians'] as const;
export type InformedParty = (typeof INFORMED_PARTIES)[number];

/** How the first contact was made. */
export const CONTACT_CHANNELS = ['phone', 'in-person', 'video', 'message', 'email', 'letter', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** Labels of every value a legal clock records, for the inbox. */
export const CLOCK_LABELS: {
  kind: Record<'assessment' | 'decision' | 'first-contact', Labels>;
  assessment: Record<AssessmentResult, Labels>;
  decision: Record<Decision, Labels>;
  informed: Record<InformedParty, Labels>;
  channel: Record<ContactChannel, Labels>;
} = {
  kind: {
    assessment: { fi: 'Kiireellisyyden arvio', sv: 'Bedömning av hur brådskande ärendet är', en: 'Urgency assessment' },
    decision: { fi: 'Päätös lastensuojeluasian vireille tulosta', sv: 'Beslut om att inleda ett barnskyddsärende', en: 'Decision on opening a child welfare case' },
    'first-contact': { fi: 'Ensimmäinen yhteydenotto', sv: 'Första kontakt', en: 'First contact' },
  },
  assessment: {
    'urgent-action': { fi: 'Kiireellisiä toimia tarvitaan', sv: 'Brådskande åtgärder behövs', en: 'Urgent action needed' },
    'not-urgent': { fi: 'Ei kiireellisen lastensuojelun tarvetta', sv: 'Inget behov av brådskande barnskydd', en: 'No need for urgent child welfare measures' },
  },
  decision: {
    'case-opened': {
      fi: 'Lastensuojeluasia vireille: palvelutarpeen arviointi aloitetaan',
      sv: 'Barnskyddsärendet inleds: bedömning av servicebehovet påbörjas',
      en: 'Case opened: a service needs assessment starts',
    },
    'no-case': { fi: 'Asia ei vaadi lastensuojelun toimenpiteitä', sv: 'Ärendet kräver inga barnskyddsåtgärder', en: 'No child welfare measures needed' },
    'existing-client': { fi: 'Lapsi on jo lastensuojelun asiakas', sv: 'Barnet är redan klient inom barnskyddet', en: 'The child is already a child welfare client' },
  },
  informed: {
    child: { fi: 'Lapsi', sv: 'Barnet', en: 'The child' },
    guardians: { fi: 'Huoltajat', sv: 'Vårdnadshavarna', en: 'The guardians' },
  },
  channel: {
    phone: { fi: 'Puhelu', sv: 'Telefonsamtal', en: 'Phone call' },
    'in-person': { fi: 'Tapaaminen', sv: 'Personligt möte', en: 'Meeting in person' },
    video: { fi: 'Videoyhteys', sv: 'Videosamtal', en: 'Video call' },
    message: { fi: 'Viesti palvelussa', sv: 'Meddelande i tjänsten', en: 'Message in the service' },
    email: { fi: 'Sähköposti', sv: 'E-post', en: 'E-mail' },
    letter: { fi: 'Kirje', sv: 'Brev', en: 'Letter' },
    other: { fi: 'Muu', sv: 'Annat', en: 'Other' },
  },
};

/** Records the urgency assessment of a child-welfare notification. */
export class AssessmentDto {
  @ApiProperty({ enum: ASSESSMENT_RESULTS })
  @IsIn(ASSESSMENT_RESULTS)
  result: AssessmentResult;
  /** When it was assessed, if not now: not before the notification arrived, not in the future. */
  @IsOptional() @IsDateTime() at?: string;
}

/** Records the decision on a child-welfare notification (made now). */
export class DecisionDto {
  @ApiProperty({ enum: DECISIONS })
  @IsIn(DECISIONS)
  decision: Decision;
}

/** Records when the child or the guardians were told of a child-welfare notification. */
export class InformedDto {
  @ApiProperty({ enum: INFORMED_PARTIES })
  @IsIn(INFORMED_PARTIES)
  who: InformedParty;
  /** When, if not now: not before the notification arrived, not in the future. */
  @IsOptional() @IsDateTime() at?: string;
}

/** Records the first contact with the sender of a help request; it stops the first-contact clock. */
export class FirstContactDto {
  /** When, if not now: not before the request arrived, not in the future. */
  @IsOptional() @IsDateTime() at?: string;
  @ApiProperty({ enum: CONTACT_CHANNELS, required: false })
  @IsOptional()
  @IsIn(CONTACT_CHANNELS)
  channel?: ContactChannel;
}
