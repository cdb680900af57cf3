import { OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsUUID, Matches, Max, Min, ValidateNested,
} from 'class-validator';
import { FreeText, IsDateOrDateTime, IsDateTime, IsEmailAddress, IsLocalDate, IsLocalTime, IsPhone, LANGUAGES, type Lang, PersonName } from '@app/platform';
import { LocalizedTextDto, LongLocalizedTextDto } from '@app/identity';

export const CHANNELS = ['in-person', 'phone', 'video'] as const;

/** Reminders go out at most two weeks before a visit. */
export const MAX_REMINDER_OFFSET_MINUTES = 20160;
export type Channel = (typeof CHANNELS)[number];

export class CreateServiceDto {
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/) code: string;
  @IsUUID() unitId: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => LocalizedTextDto) name: LocalizedTextDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => LongLocalizedTextDto) description?: LongLocalizedTextDto;
  @IsInt() @Min(5) @Max(480) durationMinutes: number;
  @IsOptional() @IsInt() @Min(0) @Max(240) bufferMinutes?: number;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @IsIn(CHANNELS, { each: true }) channels: Channel[];
  @IsOptional() @IsInt() @Min(1) @Max(200) capacity?: number;
  @IsOptional() @IsInt() @Min(0) @Max(43200) minNoticeMinutes?: number;
  @IsOptional() @IsInt() @Min(1) @Max(366) horizonDays?: number;
  /** How long before the start the family can still move or cancel online. */
  @IsOptional() @IsInt() @Min(0) @Max(43200) changeDeadlineMinutes?: number;
  @IsOptional() @IsArray() @ArrayMaxSize(5) @IsInt({ each: true }) @Min(5, { each: true }) @Max(MAX_REMINDER_OFFSET_MINUTES, { each: true })
  reminderOffsetsMinutes?: number[];
  /** Staff get a content-free e-mail when a family books, moves or cancels within this many working days (0: never). */
  @IsOptional() @IsInt() @Min(0) @Max(20) staffNoticeWorkingDays?: number;
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/) preInformationForm?: string;
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @IsIn(LANGUAGES, { each: true }) languages?: Lang[];
}

/** Duration, buffer, capacity and unit are fixed once created: they shape published slots. */
export class UpdateServiceDto extends PartialType(OmitType(CreateServiceDto, ['code', 'unitId', 'durationMinutes', 'bufferMinutes', 'capacity'] as const)) {
  @IsOptional() @IsIn([true, false]) active?: boolean;
}

export class SlotSearchQuery {
  /** A date (whole Helsinki day) or an ISO 8601 instant. */
  @IsDateOrDateTime() from: string;
  /** A date (inclusive) or an ISO 8601 instant (exclusive). At most 31 days after `from`. */
  @IsDateOrDateTime() to: string;
  @IsOptional() @IsUUID() unitId?: string;
  @IsOptional() @IsUUID() staffId?: string;
  /** Only staff who serve in this language. */
  @IsOptional() @IsIn(LANGUAGES) language?: Lang;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class CalendarQuery {
  @IsDateOrDateTime() from: string;
  @IsDateOrDateTime() to: string;
}

export class ContactDto {
  @PersonName() name: string;
  @IsOptional() @IsEmailAddress() email?: string;
  @IsOptional() @IsPhone() phone?: string;
}

export class BookAppointmentDto {
  @IsUUID() slotId: string;
  /** Defaults to the service's first channel. */
  @IsOptional() @IsIn(CHANNELS) channel?: Channel;
  @IsIn(LANGUAGES) language: Lang;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => ContactDto) contact: ContactDto;
  @IsOptional() @PersonName() childName?: string;
  @IsOptional() @FreeText({ maxLength: 1000, multiline: true }) note?: string;
}

export class RescheduleDto {
  /** A slot of the same service whose staff member speaks the booking's language. */
  @IsUUID() slotId: string;
}

export class StaffRescheduleDto extends RescheduleDto {
  /**
   * Moves the appointment to a staff member who does not speak the booking's
   * language (e.g. with an interpreter). Without it, staff are held to the
   * language like families.
   */
  @IsOptional() @IsBoolean() allowOtherLanguage?: boolean;
}

export class CancelDto {
  @IsOptional() @FreeText({ maxLength: 500 }) reason?: string;
}

export class StaffCancelDto {
  @FreeText({ maxLength: 500 }) reason: string;
}

export class StatusDto {
  @IsIn(['fulfilled', 'noshow']) status: 'fulfilled' | 'noshow';
}

export class WorkingHoursDto {
  @IsUUID() serviceId: string;
  /** Defaults to the service's unit. */
  @IsOptional() @IsUUID() unitId?: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  @IsInt() @Min(1) @Max(7) weekday: number;
  @IsLocalTime() startTime: string;
  @IsLocalTime() endTime: string;
  @IsLocalDate() validFrom: string;
  @IsOptional() @IsLocalDate() validTo?: string;
}

export class ExtraHoursDto {
  @IsUUID() serviceId: string;
  @IsOptional() @IsUUID() unitId?: string;
  @IsLocalDate() date: string;
  @IsLocalTime() startTime: string;
  @IsLocalTime() endTime: string;
}

export class AbsenceDto {
  @IsDateTime() startsAt: string;
  @IsDateTime() endsAt: string;
  @IsOptional() @FreeText({ maxLength: 200 }) reason?: string;
}

export class ManualSlotDto {
  @IsUUID() serviceId: string;
  @IsOptional() @IsUUID() unitId?: string;
  @IsDateTime() startsAt: string;
}
