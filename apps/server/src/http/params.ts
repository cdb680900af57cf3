import { Param, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@app/platform';
import { isFormId, isFormVersion } from '@app/forms';

/** A path segment that cannot name anything is simply not found; it never reaches the database. */
class NotFoundUnless implements PipeTransform<string> {
  constructor(private readonly accept: (value: string) => boolean) {}

  transform(value: string): string {
    if (!this.accept(value)) throw new DomainError('not_found');
    return value;
  }
}

class ParseFormVersion implements PipeTransform<string, number> {
  transform(value: string): number {
    const version = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
    if (!isFormVersion(version)) throw new DomainError('not_found');
    return version;
  }
}

/** A form id in the path (`^[a-z0-9][a-z0-9-]{1,62}$`); anything else is 404. */
export const FormIdParam = (name = 'id') => Param(name, new NotFoundUnless(isFormId));

/** A form version in the path, 1 … MAX_FORM_VERSION; anything else is 404. */
export const FormVersionParam = (name = 'version') => Param(name, new ParseFormVersion());
