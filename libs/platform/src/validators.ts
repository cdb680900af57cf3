import { LocalDate, LocalTime } from '@js-joda/core';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength, ValidateBy, type ValidationOptions, isEmail } from 'class-validator';
import {
  EMAIL_MAX_LENGTH, type TextOptions, type TextRule, isSendableEmail, normalizePersonName, normalizeText, personNameProblem, textProblem,
} from './text';
import { isCountyCode, isMunicipalityCode } from './municipalities';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

/** Dates and instants a calendar can mean: the years 1900 to 2199 (PostgreSQL and JavaScript disagree on year 0). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2199;
const EARLIEST = Date.UTC(FIRST_YEAR, 0, 1);
const LATEST = Date.UTC(LAST_YEAR + 1, 0, 1);

function isLocalDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    const year = LocalDate.parse(value).year();
    return year >= FIRST_YEAR && year <= LAST_YEAR;
  } catch {
    return false;
  }
}

export function isDateTimeWithOffset(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_TIME.test(value) || !isLocalDate(value.slice(0, 10))) return false;
  const instant = Date.parse(value);
  return instant >= EARLIEST && instant < LATEST;
}

/** Applies several property decorators as one. */
function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** A calendar date, `YYYY-MM-DD`. */
export const IsLocalDate = (options?: ValidationOptions) =>
  compose(ApiProperty({ type: String, format: 'date' }), ValidateBy({ name: 'isDate', validator: { validate: isLocalDate } }, options));

/** A wall-clock time, `HH:MM`. */
export const IsLocalTime = (options?: ValidationOptions) =>
  compose(
    ApiProperty({ type: String, format: 'time', pattern: '^\\d{2}:\\d{2}$' }),
    ValidateBy(
      {
        name: 'isTime',
        validator: {
          validate: (value) => {
            if (typeof value !== 'string' || !/^\d{2}:\d{2}$/.test(value)) return false;
            try {
              LocalTime.parse(value);
              return true;
            } catch {
              return false;
            }
          },
        },
      },
      options,
    ),
  );

/** An instant in ISO 8601 with an explicit offset (or Z), e.g. 2026-03-30T08:00:00+03:00. */
export const IsDateTime = (options?: ValidationOptions) =>
  compose(ApiProperty({ type: String, format: 'date-time' }), ValidateBy({ name: 'isDateTime', validator: { validate: isDateTimeWithOffset } }, options));

/** Either a calendar date (a whole Helsinki day) or an instant with an offset. */
export const IsDateOrDateTime = (options?: ValidationOptions) =>
  compose(
    ApiProperty({ type: String, description: 'A date (YYYY-MM-DD) or an ISO 8601 instant with an offset' }),
    ValidateBy({ name: 'isDateTime', validator: { validate: (v) => isLocalDate(v) || isDateTimeWithOffset(v) } }, options),
  );

export const IsPhone = (options?: ValidationOptions) =>
  compose(
    ApiProperty({ type: String, format: 'phone', pattern: PHONE.source, maxLength: 21 }),
    ValidateBy({ name: 'isPhone', validator: { validate: (v) => typeof v === 'string' && PHONE.test(v) } }, options),
  );

/** One constraint per text rule, each reporting only when it is the first rule broken, so a field gets one clear message. */
function textRules(rules: TextRule[], firstProblem: (value: string) => TextRule | undefined): PropertyDecorator[] {
  return rules.map((rule) => ValidateBy({ name: rule, validator: { validate: (v) => typeof v !== 'string' || firstProblem(v) !== rule } }));
}

const TEXT_RULES: TextRule[] = ['textLineBreak', 'textControl', 'textBidi', 'textBlank'];

/**
 * Free text a person types (a note, a reason, a unit's name): normalised
 * (NFC, `\n` line breaks, trimmed), then the one text rule of text.ts, then
 * the length. Single-line unless `multiline`. Combine with `@IsOptional()`.
 */
export function FreeText(options: { maxLength: number; minLength?: number } & TextOptions): PropertyDecorator {
  const text: TextOptions = { multiline: options.multiline ?? false };
  return compose(
    ApiProperty({ type: String, maxLength: options.maxLength, ...(options.minLength ? { minLength: options.minLength } : {}), format: text.multiline ? 'multiline-text' : 'text' }),
    Transform(({ value }) => (typeof value === 'string' ? normalizeText(value, text) : value)),
    IsString(),
    ...textRules(TEXT_RULES, (v) => textProblem(v, text)),
    ...(options.minLength ? [MinLength(options.minLength)] : []),
    MaxLength(options.maxLength),
  );
}

/** A person's name (see text.ts): letters, spaces, hyphens, apostrophes and periods; one line. */
export function PersonName(options: { maxLength?: number } = {}): PropertyDecorator {
  const maxLength = options.maxLength ?? 200;
  return compose(
    ApiProperty({ type: String, maxLength, format: 'person-name' }),
    Transform(({ value }) => (typeof value === 'string' ? normalizePersonName(value) : value)),
    IsString(),
    ...textRules([...TEXT_RULES, 'personName'], personNameProblem),
    MaxLength(maxLength),
  );
}

/** An e-mail address we can send to: accepted by both the mailer and the calendar file (see text.ts). */
export function IsEmailAddress(): PropertyDecorator {
  return compose(
    ApiProperty({ type: String, format: 'email', maxLength: EMAIL_MAX_LENGTH }),
    ValidateBy({ name: 'isEmail', validator: { validate: isSendableEmail } }),
  );
}

/**
 * An e-mail address by its syntax alone, to look up an existing account
 * (validator.js's isEmail, which throws on text that is not well-formed
 * Unicode; that is simply not an address).
 */
export function IsEmailSyntax(): PropertyDecorator {
  const valid = (value: unknown) => {
    try {
      return isEmail(value);
    } catch {
      return false;
    }
  };
  return compose(ApiProperty({ type: String, format: 'email', maxLength: EMAIL_MAX_LENGTH }), ValidateBy({ name: 'isEmail', validator: { validate: valid } }));
}

/** A Statistics Finland municipality code (`091`) or a wellbeing services county code (`LU`) from the shipped list. */
export const IsMunicipalityOrCounty = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isServiceArea', validator: { validate: (v) => isMunicipalityCode(v) || isCountyCode(v) } }, options);

/** A Statistics Finland municipality code from the shipped list, e.g. `091`. */
export const IsMunicipality = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isMunicipality', validator: { validate: isMunicipalityCode } }, options);
