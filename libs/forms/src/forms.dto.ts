import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, Matches, Max, Min } from 'class-validator';
import { LANGUAGES, type Lang } from '@app/platform';
import { MAX_FORM_VERSION } from './form-definition';
import type { Answers } from './form-runtime';

export class SubmitFormDto {
  /** The language the form was filled in. */
  @IsIn(LANGUAGES) language: Lang;
  /** Answers by answer id; answers to hidden questions are dropped. */
  @IsObject() answers: Answers;
  /** The version the form was filled in (defaults to the newest published). */
  @IsOptional() @IsInt() @Min(1) @Max(MAX_FORM_VERSION) version?: number;
}

/** The body of a submission, optionally with the page to check. */
export class ValidateFormDto {
  /** The language to word errors in (Accept-Language when absent). */
  @IsOptional() @IsIn(LANGUAGES) language?: Lang;
  @IsObject() answers: Answers;
  /** Only this page's errors. */
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/) page?: string;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_FORM_VERSION) version?: number;
}

export class DraftDto {
  @IsObject() answers: Answers;
}

export class FormQuery {
  @IsOptional() @IsIn(LANGUAGES) lang?: Lang;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_FORM_VERSION) version?: number;
}

export class PdfQuery {
  /** Labels in another language than the submission's. */
  @IsOptional() @IsIn(LANGUAGES) lang?: Lang;
}
