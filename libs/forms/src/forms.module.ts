import { Module } from '@nestjs/common';
import { DraftsService } from './drafts.service';
import { FormDefinitionsService } from './form-definitions.service';
import { SubmissionPdf } from './submission-pdf';
import { SubmissionsService } from './submissions.service';

@Module({
  providers: [FormDefinitionsService, SubmissionsService, DraftsService, SubmissionPdf],
  exports: [FormDefinitionsService, SubmissionsService, DraftsService, SubmissionPdf],
})
export class FormsModule {}
