import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Lang, toHelsinkiIso } from '@app/platform';
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
    @InjectDataSource() private readonly db: DataSource,
    private readonly appointments: AppointmentsService,
    private readonly submissions: SubmissionsService,
    private readonly pdf: SubmissionPdf,
  ) {}

  /**
   * Stores the appointment's pre-information. A second one replaces the first
   * for staff; the first stays in the history. The appointment's row lock
   * makes concurrent senders take turns, so exactly one stays current.
   */
  async submit(appointmentId: string, token: string, dto: SubmitFormDto) {
    // Check the link and the answers before taking the lock; check the link again under it.
    // The appointment's unit receives its pre-information, whichever unit the form's own routing names.
    const { formId, unitCode } = await this.appointments.preInformationTarget(appointmentId, token);
    const prepared = await this.submissions.prepare(formId, dto, { appointmentUnit: unitCode });
    return this.db.transaction(async (tx) => {
      const target = await this.appointments.preInformationTarget(appointmentId, token, tx);
      const current =
        target.formId === formId && target.unitCode === unitCode ? prepared : await this.submissions.prepare(target.formId, dto, { appointmentUnit: target.unitCode });
      const receipt = await this.submissions.store(current, tx, appointmentId);
      await this.appointments.recordPreInformation(tx, appointmentId, current.now, Boolean(receipt.replaces));
      return receipt;
    });
  }

  /**
   * The appointment as staff see it, with its current pre-information in the
   * staff member's language, and the earlier submissions it replaced.
   */
  async appointmentForStaff(auth: AuthContext, appointmentId: string, lang: Lang) {
    const appointment = await this.appointments.get({ type: 'staff', auth }, appointmentId);
    const all = await this.submissions.forAppointment(appointmentId);
    const pdf = (id: string) => `/api/v1/staff/appointments/${appointmentId}/pre-information/${id}/pdf`;
    const earlier = all
      .filter((meta) => meta.replacedAt)
      .map((meta) => ({ id: meta.id, reference: meta.reference, submittedAt: toHelsinkiIso(meta.submittedAt), replacedAt: toHelsinkiIso(meta.replacedAt!), pdf: pdf(meta.id) }));
    const preInformation = [];
    for (const meta of all.filter((m) => !m.replacedAt)) {
      const opened = await this.submissions.open(meta.id);
      preInformation.push({
        id: meta.id,
        reference: meta.reference,
        submittedAt: toHelsinkiIso(opened.submittedAt),
        form: { id: meta.formId, version: meta.formVersion, title: opened.form.definition.title[lang] },
        language: meta.language,
        answers: summarize(opened, lang),
        pdf: pdf(meta.id),
        earlier,
      });
    }
    return { ...appointment, preInformation };
  }

  /** Any of the appointment's pre-information as PDF, the replaced ones too. */
  async pdfForStaff(auth: AuthContext, appointmentId: string, submissionId: string, lang?: Lang) {
    await this.appointments.get({ type: 'staff', auth }, appointmentId);
    // Only this appointment's own pre-information; nothing else is even decrypted.
    if (!(await this.submissions.forAppointment(appointmentId)).some((s) => s.id === submissionId)) return undefined;
    const opened = await this.submissions.open(submissionId);
    return { reference: opened.reference, pdf: await this.pdf.render(opened, lang) };
  }
}
