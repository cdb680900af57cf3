import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, ValidateBy } from 'class-validator';
import { FreeText, LANGUAGES, type Lang } from '@app/platform';
import { REFERENCE_PATTERN, canonicalReceiptCode, canonicalReference } from '@app/forms';

/** The longest reference or code worth reading: anything longer is no reference or code. */
const MAX_TYPED = 64;

/** What the sender got when sending: the reference and the receipt code. */
export class ReceiptLookupDto {
  /** The reference, e.g. `APU-2026-7KQ4M9XZ`; case and spaces do not matter. */
  @ApiProperty({ type: String, example: 'APU-2026-7KQ4M9XZ', maxLength: MAX_TYPED })
  @Transform(({ value }) => (typeof value === 'string' && value.length <= MAX_TYPED ? canonicalReference(value) : value))
  @IsString()
  @ValidateBy({ name: 'receiptReference', validator: { validate: (v) => typeof v === 'string' && REFERENCE_PATTERN.test(v) } })
  reference: string;

  /** The receipt code shown once after sending, e.g. `7KQ4-M9XZ-2PLR-H6WE`; case, spaces and dashes do not matter. */
  @ApiProperty({ type: String, example: '7KQ4-M9XZ-2PLR-H6WE', maxLength: MAX_TYPED })
  @Transform(({ value }) => (typeof value === 'string' && value.length <= MAX_TYPED ? (canonicalReceiptCode(value) ?? value) : value))
  @IsString()
  @ValidateBy({ name: 'receiptCode', validator: { validate: (v) => typeof v === 'string' && canonicalReceiptCode(v) === v } })
  receiptCode: string;

  /** The language of the status in words (Accept-Language when absent). */
  @IsOptional() @IsIn(LANGUAGES) language?: Lang;
}

/** The sender's message to the handlers, with the reference and receipt code. */
export class ReceiptMessageDto extends ReceiptLookupDto {
  /** Stored encrypted; only the handlers of the unit the submission is with read it. */
  @FreeText({ maxLength: 4000, multiline: true }) text: string;
}

/** A handler's message to the sender, who reads it with the receipt code. */
export class ReplyDto {
  /** Stored encrypted. The sender is told only that there is a reply, and only if they asked to be. */
  @FreeText({ maxLength: 4000, multiline: true }) text: string;
}
