import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { FreeText, IsDateOrDateTime, LANGUAGES, type Lang } from '@app/platform';
import { PURPOSES, type Purpose } from '@app/forms';

/** Handling status of a submission, in the only order it moves: received → acknowledged → in_progress → closed. */
export const SUBMISSION_STATUSES = ['received', 'acknowledged', 'in_progress', 'closed'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export const PRIORITIES = ['normal', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** What an access-log row records was done (table `access_log`, CHECKed there too). */
export const ACCESS_ACTIONS = ['view', 'pdf', 'export', 'forward', 'reply', 'note'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** Why: the closed list a reader states; `other` needs a `purposeText`. */
export const ACCESS_PURPOSES = ['handling', 'urgency-assessment', 'supervision', 'data-subject-request', 'other'] as const;
export type AccessPurpose = (typeof ACCESS_PURPOSES)[number];

const FORM_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const CODE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_LIMIT = 200;
const MAX_OFFSET = 100_000;

/** `true` / `false` in a query string. */
const queryBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

/** Paging: `limit` (1–200, default 50) and `offset` (default 0). */
export class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_LIMIT) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_OFFSET) offset?: number;
}

export class InboxQuery extends PageQuery {
  @IsOptional() @IsIn(SUBMISSION_STATUSES) status?: SubmissionStatus;
  /** A form id, e.g. `lastensuojeluilmoitus`. */
  @IsOptional() @Matches(FORM_ID) form?: string;
  @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
  /** Only those assigned to me. */
  @IsOptional() @queryBoolean() @IsBoolean() assignedToMe?: boolean;
  /** `true`: only those past an open deadline (not closed); `false`: only those that are not. */
  @IsOptional() @queryBoolean() @IsBoolean() overdue?: boolean;
  /** One of my units (default: all units whose inbox I handle). */
  @IsOptional() @IsUUID() unit?: string;
}

/** The stated reason for opening a submission: required, written to the access log with the read. */
export class AccessPurposeQuery {
  @ApiProperty({ enum: ACCESS_PURPOSES })
  @ValidateBy({ name: 'accessPurpose', constraints: [ACCESS_PURPOSES], validator: { validate: (v) => (ACCESS_PURPOSES as readonly unknown[]).includes(v) } })
  purpose: AccessPurpose;
  /** The purpose in words: required when `purpose` is `other`. */
  @ValidateIf((o: AccessPurposeQuery) => o.purpose === 'other' || o.purposeText !== undefined)
  @ValidateBy({ name: 'purposeTextRequired', validator: { validate: (v) => v !== undefined && v !== null } })
  @FreeText({ maxLength: 500 })
  purposeText?: string;
}

export class InboxPdfQuery extends AccessPurposeQuery {
  /** Labels in another language than the submission's. */
  @IsOptional() @IsIn(LANGUAGES) lang?: Lang;
}

export class StatusChangeDto {
  @IsIn(SUBMISSION_STATUSES) status: SubmissionStatus;
  /** Required when closing: one of the form's outcomes (`outcomes` in the detail view). */
  @IsOptional() @Matches(CODE) outcome?: string;
}

export class AssignDto {
  /** A handler of the submission's unit, or null to leave it unassigned. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @ValidateIf((o: AssignDto) => o.staffId !== null)
  @IsUUID()
  staffId: string | null;
}

export class NoteDto {
  /** Internal note, seen only by the handlers of the submission's unit; stored encrypted. */
  @FreeText({ maxLength: 4000, multiline: true }) text: string;
}

export class ForwardDto {
  /** Another existing unit. */
  @IsUUID() unitId: string;
  /** Why; kept encrypted as a note that goes with the submission. */
  @FreeText({ maxLength: 1000, multiline: true }) reason: string;
}

/** A period: a date is a whole Helsinki day (`to` inclusive), an instant with an offset is taken as is (`to` exclusive). */
export class PeriodQuery extends PageQuery {
  @IsOptional() @IsDateOrDateTime() from?: string;
  @IsOptional() @IsDateOrDateTime() to?: string;
}

export class AccessLogQuery extends PeriodQuery {
  @IsOptional() @IsUUID() submission?: string;
  @IsOptional() @IsUUID() staff?: string;
}

export class AccessLogExportQuery {
  @IsUUID() submission: string;
}

export class AdminSubmissionsQuery extends PeriodQuery {
  @IsOptional() @IsIn(SUBMISSION_STATUSES) status?: SubmissionStatus;
  @IsOptional() @Matches(FORM_ID) form?: string;
  @IsOptional() @IsIn(PURPOSES) purpose?: Purpose;
  @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
  @IsOptional() @IsUUID() unit?: string;
  /** A reference, e.g. `LSI-2026-7KQ4M9XZ`. */
  @IsOptional() @Matches(/^[A-Z]{2,5}-\d{4}-[0-9A-Z]{1,12}$/) reference?: string;
}
