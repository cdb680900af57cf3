import { ValidateBy, type ValidationOptions } from 'class-validator';
import { DomainError, type FieldError } from '@app/platform';

/** Fewest characters (Unicode code points) a staff password may have. */
export const PASSWORD_MIN_LENGTH = 12;

let common: Set<string> | undefined;

/**
 * The common-password list shipped by @zxcvbn-ts/language-common (about 49,000
 * passwords seen most often in public leaks), lower-cased, loaded once on
 * first use: unpacking it costs some 60 ms of CPU that processes which never
 * check a password need not pay at start.
 */
function commonPasswords(): Set<string> {
  if (!common) {
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return common;
}

const isBlank = (password: string) => password.trim() === '';
const isTooShort = (password: string) => [...password].length < PASSWORD_MIN_LENGTH;
/** Case-insensitive; surrounding spaces do not make a common password uncommon. */
const isCommon = (password: string) => {
  const lower = password.toLowerCase();
  return commonPasswords().has(lower) || commonPasswords().has(lower.trim());
};

/** The password rules a password breaks (catalogue `validation` rule names); empty when it is acceptable. */
export function passwordProblems(password: string): FieldError[] {
  const problems: FieldError[] = [];
  if (isTooShort(password)) problems.push({ field: 'password', rule: 'passwordLength', params: { min: PASSWORD_MIN_LENGTH } });
  if (isBlank(password)) problems.push({ field: 'password', rule: 'passwordBlank' });
  else if (isCommon(password)) problems.push({ field: 'password', rule: 'passwordCommon' });
  return problems;
}

/** Throws validation_failed naming the password when it breaks a rule. */
export function assertAcceptablePassword(password: string): void {
  const problems = passwordProblems(password);
  if (problems.length) throw new DomainError('validation_failed', {}, problems);
}

const onString = (check: (password: string) => boolean) => (value: unknown) => typeof value !== 'string' || !check(value);

/**
 * The password rules as request validation: at least 12 characters, not all
 * whitespace, not a common password. Non-strings are left to @IsString.
 */
export function IsAcceptablePassword(options?: ValidationOptions): PropertyDecorator {
  const rules = [
    ValidateBy({ name: 'passwordLength', constraints: [PASSWORD_MIN_LENGTH], validator: { validate: onString(isTooShort) } }, options),
    ValidateBy({ name: 'passwordBlank', validator: { validate: onString(isBlank) } }, options),
    ValidateBy({ name: 'passwordCommon', validator: { validate: onString((p) => !isBlank(p) && isCommon(p)) } }, options),
  ];
  return (target, property) => rules.forEach((rule) => rule(target, property));
}
