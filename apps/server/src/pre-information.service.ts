import { Injectable } from '@nestjs/common';
import type { Lang } from '@app/platform';
import type { AuthContext } from '@app/identity';
import { AppointmentsService } from '@app/booking';
import { type SubmitFormDto, SubmissionPdf, SubmissionsService, summarize } from '@app/forms';

/**
 * Pre-information bound to booking: the booking lib issues the link, the
 * forms lib stores the submission, and this joins the two for the HTTP layer.
 */
@Injectable()
export class PreInformationService {
  constructor(
    private readonly appointments: AppointmentsService,
    private readonly submissions: SubmissionsService,
    private readonly pdf: SubmissionPdf,
  ) {}

  async submit(appointmentId: string, token: string, dto: SubmitFormDto) {
    const { formId } = await this.appointments.preInformationTarget(appointmentId, token);
    return this.submissions.submit(formId, dto, { appointmentId });
  }

  /** The appointment as staff see it, with its pre-information in the staff member's language. */
  async appointmentForStaff(auth: AuthContext, appointmentId: string, lang: Lang) {
    const appointment = await this.appointments.get({ type: 'staff', auth }, appointmentId);
    const preInformation = [];
    for (const meta of await this.submissions.forAppointment(appointmentId)) {
      const opened = await this.submissions.open(meta.id);
      preInformation.push({
        id: meta.id,
        reference: meta.reference,
        submittedAt: opened.submittedAt,
        form: { id: meta.formId, version: meta.formVersion, title: opened.form.definition.title[lang] },
        language: meta.language,
        answers: summarize(opened, lang),
        pdf: `/api/v1/staff/appointments/${appointmentId}/pre-information/${meta.id}/pdf`,
      });
    }
    return { ...appointment, preInformation };
  }

  async pdfForStaff(auth: AuthContext, appointmentId: string, submissionId: string, lang?: Lang) {
    await this.appointments.get({ type: 'staff', auth }, appointmentId);
    // Only this appointment's own pre-information; nothing else is even decrypted.
    if (!(await this.submissions.forAppointment(appointmentId)).some((s) => s.id === submissionId)) return undefined;
    const opened = await this.submissions.open(submissionId);
    return { reference: opened.reference, pdf: await this.pdf.render(opened, lang) };
  }
}
