import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { DraftsService } from './drafts.service';
import { FormDefinitionsService } from './form-definitions.service';
import { FormsJobs } from './forms.jobs';
import { SubmissionArrivals } from './submission-arrivals';
import { SubmissionPdf } from './submission-pdf';
import { SubmissionsService } from './submissions.service';

@Module({
  imports: [IdentityModule],
  providers: [FormDefinitionsService, SubmissionsService, DraftsService, SubmissionPdf, FormsJobs, SubmissionArrivals],
  exports: [FormDefinitionsService, SubmissionsService, DraftsService, SubmissionPdf, SubmissionArrivals],
})
export class FormsModule {}
