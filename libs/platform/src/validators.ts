import { LocalDate, LocalTime } from '@js-joda/core';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength, ValidateBy, type ValidationOptions } from 'class-validator';
import {
  EMAIL_MAX_LENGTH, type TextOptions, type TextRule, isSendableEmail, normalizePersonName, normalizeText, personNameProblem, textProblem,
} from './text';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

function isLocalDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    LocalDate.parse(value);
    return true;
  } catch {
    return false;
  }
}

export function isDateTimeWithOffset(value: unknown): value is string {
  return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) && isLocalDate(value.slice(0, 10));
}

/** A calendar date, `YYYY-MM-DD`. */
export const IsLocalDate = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isDate', validator: { validate: isLocalDate } }, options);

/** A wall-clock time, `HH:MM`. */
export const IsLocalTime = (options?: ValidationOptions) =>
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
  );

/** An instant in ISO 8601 with an explicit offset (or Z), e.g. 2026-03-30T08:00:00+03:00. */
export const IsDateTime = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isDateTime', validator: { validate: isDateTimeWithOffset } }, options);

/** Either a calendar date (a whole Helsinki day) or an instant with an offset. */
export const IsDateOrDateTime = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isDateTime', validator: { validate: (v) => isLocalDate(v) || isDateTimeWithOffset(v) } }, options);

export const IsPhone = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isPhone', validator: { validate: (v) => typeof v === 'string' && PHONE.test(v) } }, options);

/** Applies several property decorators as one. */
function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

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
