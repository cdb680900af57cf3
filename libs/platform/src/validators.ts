import { LocalDate, LocalTime } from '@js-joda/core';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isCountyCode, isMunicipalityCode } from './municipalities';

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

/** A Statistics Finland municipality code (`091`) or a wellbeing services county code (`LU`) from the shipped list. */
export const IsMunicipalityOrCounty = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isServiceArea', validator: { validate: (v) => isMunicipalityCode(v) || isCountyCode(v) } }, options);

/** A Statistics Finland municipality code from the shipped list, e.g. `091`. */
export const IsMunicipality = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isMunicipality', validator: { validate: isMunicipalityCode } }, options);
