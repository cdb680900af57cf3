import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { FreeText, IsEmailAddress, IsEmailSyntax, IsMunicipality, IsMunicipalityOrCounty, IsPhone, LANGUAGES, type Lang, PersonName } from '@app/platform';
import { IsAcceptablePassword, PASSWORD_MIN_LENGTH } from './password-policy';
import { ROLES, type Role } from './staff.entity';

/** A text in Finnish, Swedish and English. */
export class LocalizedTextDto {
  @FreeText({ maxLength: 200 }) fi: string;
  @FreeText({ maxLength: 200 }) sv: string;
  @FreeText({ maxLength: 200 }) en: string;
}

/** Several lines in each language, e.g. a service's description. */
export class LongLocalizedTextDto {
  @FreeText({ maxLength: 2000, multiline: true }) fi: string;
  @FreeText({ maxLength: 2000, multiline: true }) sv: string;
  @FreeText({ maxLength: 2000, multiline: true }) en: string;
}

export class CreateUnitDto {
  /** Stable code used in routing rules, e.g. `kouluterveys-keskusta`. */
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/) code: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => LocalizedTextDto) name: LocalizedTextDto;
  @IsOptional() @IsEmailAddress() email?: string;
  @IsOptional() @IsPhone() phone?: string;
  @IsOptional() @FreeText({ maxLength: 300 }) address?: string;
  /** Where the unit is: a Statistics Finland municipality code, e.g. `091`. */
  @IsOptional() @IsMunicipality() municipalityCode?: string;
  /**
   * The municipalities the unit serves, for routing submissions by an answered
   * municipality: Statistics Finland codes (`049`), or a wellbeing services
   * county code (`LU`) for all of its municipalities. Stored as municipality
   * codes; a PATCH replaces the list (`[]` serves none).
   */
  @ApiProperty({ example: ['049', '235', '257'] })
  @IsOptional() @IsArray() @ArrayMaxSize(400) @IsMunicipalityOrCounty({ each: true }) municipalities?: string[];
}

export class UpdateUnitDto extends PartialType(OmitType(CreateUnitDto, ['code'] as const)) {}

export class CreateStaffDto {
  @IsEmailAddress() email: string;
  @PersonName() name: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => LocalizedTextDto) title?: LocalizedTextDto;
  /** At least 12 characters, not all whitespace, and not a commonly used password. */
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: 200 })
  @IsString() @IsAcceptablePassword() @MaxLength(200) password: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @IsIn(LANGUAGES, { each: true }) languages: Lang[];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2) @IsIn(ROLES, { each: true }) roles: Role[];
  /** Units where the person keeps a calendar (appointments): the unit role `calendar`. */
  @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) unitIds: string[];
  /** Units whose inbox the person handles: the unit role `handler`. A unit may be in both lists. */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) handlerUnitIds?: string[];
  /** E-mail (without content) when a submission reaches a unit the person handles; default true. */
  @IsOptional() @IsBoolean() notifyNewSubmissions?: boolean;
}

export class UpdateStaffDto extends PartialType(OmitType(CreateStaffDto, ['email'] as const)) {
  @IsOptional() @IsIn([true, false]) active?: boolean;
}

/** What staff members set for themselves. */
export class StaffPreferencesDto {
  /** E-mail (without content) when a submission reaches a unit I handle. */
  @IsOptional() @IsBoolean() notifyNewSubmissions?: boolean;
}

export const SESSION_KINDS = ['bearer', 'cookie'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export class LoginDto {
  @IsEmailSyntax() @MaxLength(254) email: string;
  @IsString() @MinLength(1) @MaxLength(200) password: string;
  /**
   * How the session is carried: `bearer` (default) returns the token for
   * `Authorization: Bearer` and sets no cookie; `cookie` sets it as an
   * HttpOnly cookie and leaves it out of the body.
   */
  @IsOptional() @IsIn(SESSION_KINDS) session?: SessionKind;
}

/** The signed-in staff member. */
export class SignedInStaffDto {
  id: string;
  name: string;
  email: string;
  roles: Role[];
}

export class LoginResponseDto {
  /** The session token for `Authorization: Bearer`; only when `session` is `bearer`. */
  token?: string;
  /** When the session ends (ISO 8601). */
  expiresAt: string;
  staff: SignedInStaffDto;
}
