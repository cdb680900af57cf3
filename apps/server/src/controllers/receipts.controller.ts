import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { pickLanguage } from '@app/platform';
import { ReceiptLookupDto, ReceiptMessageDto, ReceiptsService } from '@app/delivery';
import { RateLimit } from '../http/rate-limit';

/**
 * Senders follow up without an account, with the reference and the receipt
 * code they got when sending. A wrong reference and a wrong code give the
 * same 404. Rate-limited per client and in total (`RATE_LIMIT_RECEIPT`).
 */
@ApiTags('receipts')
@Controller('api/v1/receipts')
export class ReceiptsController {
  constructor(private readonly receipts: ReceiptsService) {}

  /** The status (in words in `language`, else Accept-Language), the dates and the messages exchanged with the handlers. */
  @Post('lookup') @HttpCode(200) @RateLimit('receipt')
  lookup(@Body() dto: ReceiptLookupDto, @Headers('accept-language') accept?: string) { return this.receipts.lookup(dto, dto.language ?? pickLanguage(accept)); }

  /** Writes to the handlers (stored encrypted); they are told without content. 409 once the submission is closed. */
  @Post('messages') @RateLimit('receipt')
  message(@Body() dto: ReceiptMessageDto) { return this.receipts.message(dto); }
}
