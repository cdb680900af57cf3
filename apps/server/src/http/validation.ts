import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { DomainError, type FieldError } from '@app/platform';

/** class-validator's constraint names → the message catalogue's rule names. */
const RULE_ALIASES: Record<string, string> = {
  isUuid: 'isUUID',
  nestedValidation: 'isObject',
  isEnum: 'isIn',
  matches: 'invalid',
  isNumber: 'isInt',
};

/** The parameters a rule was declared with (max length, allowed values…), for the message. */
function ruleParams(target: object | undefined, property: string, rule: string): Record<string, string | number> {
  if (!target) return {};
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === property && m.name === rule);
  const [first] = (metadata?.constraints ?? []) as unknown[];
  if (Array.isArray(first)) return { values: first.join(', ') };
  if (first === undefined || first === null) return {};
  return { min: String(first), max: String(first) };
}

/** Rules that say a value is missing: when one fails, the field's other rules have nothing to check. */
const PRESENCE_RULES = new Set(['isDefined', 'purposeTextRequired']);

export function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const rules = Object.keys(error.constraints ?? {});
    const missing = rules.filter((rule) => PRESENCE_RULES.has(rule));
    const own = (missing.length ? missing : rules).map((rule) => ({
      field,
      rule: RULE_ALIASES[rule] ?? rule,
      params: ruleParams(error.target, error.property, rule),
    }));
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}

/** Rejects unknown fields and wrong types; errors become field errors localized by the filter. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => new DomainError('validation_failed', {}, flatten(errors)),
  });
}
