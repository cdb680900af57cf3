import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { FormDefinitionsService } from '@app/forms';
import { SignedIn } from '../http/auth.decorators';
import { FormIdParam, FormVersionParam } from '../http/params';

/** Form authoring: upload a version as a draft (linted), preview, publish, retire. */
@ApiTags('admin')
@SignedIn('admin')
@Controller('api/v1/admin')
export class AdminFormsController {
  constructor(private readonly definitions: FormDefinitionsService) {}

  @Get('forms') list() { return this.definitions.list(); }

  /** The body is a form definition (see form-definitions/form-definition.schema.json); 422 lists the linter's findings. */
  @Post('forms') @ApiBody({ schema: { type: 'object' } })
  upload(@Body() definition: Record<string, unknown>) { return this.definitions.upload(definition); }

  @Get('forms/:id/:version') preview(@FormIdParam() id: string, @FormVersionParam() version: number) { return this.definitions.version(id, version); }
  @Post('forms/:id/:version/publish') publish(@FormIdParam() id: string, @FormVersionParam() version: number) { return this.definitions.publish(id, version); }
  @Post('forms/:id/:version/retire') retire(@FormIdParam() id: string, @FormVersionParam() version: number) { return this.definitions.retire(id, version); }
}
