import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { pickLanguage } from '@app/platform';
import type { AuthContext } from '@app/identity';
import { AccessLogExportQuery, AccessLogQuery, AccessLogService, AdminSubmissionsQuery, AdminSubmissionsService } from '@app/delivery';
import { CurrentAuth, SignedIn } from '../http/auth.decorators';

/** Administration of delivery: submissions' metadata and the access log — never answers, notes or messages. */
@ApiTags('admin')
@SignedIn('admin')
@Controller('api/v1/admin')
export class AdminDeliveryController {
  constructor(
    private readonly submissions: AdminSubmissionsService,
    private readonly accessLog: AccessLogService,
  ) {}

  /** Submissions' metadata (reference, form, unit, status, times), newest first. */
  @Get('submissions') listSubmissions(@CurrentAuth() auth: AuthContext, @Query() q: AdminSubmissionsQuery, @Headers('accept-language') accept?: string) { return this.submissions.list(auth, q, pickLanguage(accept)); }

  /** Who opened what, when and why: by `submission`, `staff`, `from`/`to`; newest first. */
  @Get('access-log') listAccessLog(@CurrentAuth() auth: AuthContext, @Query() q: AccessLogQuery) { return this.accessLog.list(auth, q); }

  /** The whole access log of one submission, for a data subject's request (asiakastietolaki 703/2023); the export is logged too. */
  @Get('access-log/export') exportAccessLog(@CurrentAuth() auth: AuthContext, @Query() q: AccessLogExportQuery) { return this.accessLog.export(auth, q.submission); }
}
