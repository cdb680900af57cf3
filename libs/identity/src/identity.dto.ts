import { OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { FreeText, IsEmailAddress, IsEmailSyntax, IsPhone, LANGUAGES, type Lang, PersonName } from '@app/platform';
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
  /** Statistics Finland municipality code, three digits. */
  @IsOptional() @Matches(/^\d{3}$/) municipalityCode?: string;
}

export class UpdateUnitDto extends PartialType(OmitType(CreateUnitDto, ['code'] as const)) {}

export class CreateStaffDto {
  @IsEmailAddress() email: string;
  @PersonName() name: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => LocalizedTextDto) title?: LocalizedTextDto;
  /** At least 12 characters. */
  @IsString() @MinLength(12) @MaxLength(200) password: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @IsIn(LANGUAGES, { each: true }) languages: Lang[];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2) @IsIn(ROLES, { each: true }) roles: Role[];
  @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) unitIds: string[];
}

export class UpdateStaffDto extends PartialType(OmitType(CreateStaffDto, ['email'] as const)) {
  @IsOptional() @IsIn([true, false]) active?: boolean;
}

export class LoginDto {
  @IsEmailSyntax() @MaxLength(254) email: string;
  @IsString() @MinLength(1) @MaxLength(200) password: string;
}
