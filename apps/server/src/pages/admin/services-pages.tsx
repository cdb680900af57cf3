import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CHANNELS, CreateServiceDto, type Service, ServicesService, UpdateServiceDto } from '@app/booking';
import { FormDefinitionsService } from '@app/forms';
import { type Unit, UnitsService } from '@app/identity';
import { LANGUAGES, interpolate } from '@app/platform';
import { ErrorSummary, Notice, PostForm, SummaryList } from '../components/ui';
import { redirectTo, sendPage } from '../render';
import { StaffPageKit } from '../staff/staff-kit';
import { StaffLayout, type StaffPageContext } from '../staff/staff-layout';
import {
  Check, CheckGroup, type ControlErrors, type ControlSpec, type FormProblems, type FormValues, LocalizedInputs, NumberInput, Select, Submit, TextInput,
  checked, integer, listOf, localized, optionalText, postedValues, problemsOf, text, validated, valueOf, valuesOf,
} from './config-form';

const DONE = ['created', 'saved'] as const;
/** The fields fixed once a service exists (they shape its published slots). */
const FIXED = ['durationMinutes', 'bufferMinutes', 'capacity'] as const;
const TUNABLE = ['minNoticeMinutes', 'horizonDays', 'changeDeadlineMinutes', 'staffNoticeWorkingDays'] as const;

/** What a new service's form starts with: the defaults the service itself applies. */
const NEW_SERVICE: FormValues = {
  bufferMinutes: '0', capacity: '1', minNoticeMinutes: '120', horizonDays: '28', changeDeadlineMinutes: '1440', reminderOffsetsMinutes: '1440',
  staffNoticeWorkingDays: '2', channels: ['in-person'], languages: [...LANGUAGES],
};

type NumberField = (typeof FIXED)[number] | (typeof TUNABLE)[number];

function numberLabel(ctx: StaffPageContext, field: NumberField): string {
  const s = ctx.s.services;
  return {
    durationMinutes: s.duration, bufferMinutes: s.buffer, capacity: s.capacity, minNoticeMinutes: s.minNotice, horizonDays: s.horizon,
    changeDeadlineMinutes: s.changeDeadline, staffNoticeWorkingDays: s.staffNotice,
  }[field];
}

function controls(ctx: StaffPageContext, creating: boolean): ControlSpec[] {
  const s = ctx.s.services;
  const numbers = (fields: readonly NumberField[]) => fields.map((field) => ({ field, id: field, label: numberLabel(ctx, field) }));
  return [
    ...(creating ? [{ field: 'code', id: 'code', label: s.code }, { field: 'unitId', id: 'unitId', label: s.unit }] : []),
    { field: 'name.fi', id: 'name-fi', label: s.nameFi },
    { field: 'name.sv', id: 'name-sv', label: s.nameSv },
    { field: 'name.en', id: 'name-en', label: s.nameEn },
    { field: 'name', id: 'name-fi', label: s.nameFi },
    { field: 'description.fi', id: 'description-fi', label: s.descriptionFi },
    { field: 'description.sv', id: 'description-sv', label: s.descriptionSv },
    { field: 'description.en', id: 'description-en', label: s.descriptionEn },
    { field: 'description', id: 'description-fi', label: s.descriptionFi },
    ...(creating ? numbers(FIXED) : []),
    { field: 'channels', id: `channels-${CHANNELS[0]}`, label: s.channels },
    ...numbers(TUNABLE),
    { field: 'reminderOffsetsMinutes', id: 'reminderOffsetsMinutes', label: s.reminders },
    { field: 'preInformationForm', id: 'preInformationForm', label: s.preInformationForm },
    { field: 'languages', id: `languages-${LANGUAGES[0]}`, label: s.languages },
    { field: 'active', id: 'active', label: s.active },
  ];
}

/**
 * The posted service form as the admin API's request: numbers as numbers
 * (other text left for the API's rule to name), the reminders as a list,
 * and an optional text left empty cleared when editing.
 */
function serviceRequest(body: unknown, creating: boolean): Record<string, unknown> {
  const cleared = creating ? undefined : null;
  const number = (name: string) => integer(text(body, name));
  return {
    ...(creating ? { code: text(body, 'code'), unitId: text(body, 'unitId'), ...Object.fromEntries(FIXED.map((f) => [f, number(f)])) } : {}),
    name: { fi: text(body, 'name-fi'), sv: text(body, 'name-sv'), en: text(body, 'name-en') },
    description: localized(body, 'description') ?? cleared,
    channels: checked(body, 'channels'),
    ...Object.fromEntries(TUNABLE.map((f) => [f, number(f)])),
    reminderOffsetsMinutes: listOf(text(body, 'reminderOffsetsMinutes')).map(integer),
    preInformationForm: optionalText(body, 'preInformationForm') ?? cleared,
    languages: checked(body, 'languages'),
    ...(creating ? {} : { active: text(body, 'active') === 'true' }),
  };
}

function storedValues(service: Service): FormValues {
  return {
    'name-fi': service.name.fi, 'name-sv': service.name.sv, 'name-en': service.name.en,
    'description-fi': service.description?.fi ?? '', 'description-sv': service.description?.sv ?? '', 'description-en': service.description?.en ?? '',
    ...Object.fromEntries(TUNABLE.map((f) => [f, String(service[f])])),
    channels: service.channels, reminderOffsetsMinutes: service.reminderOffsetsMinutes.join(', '),
    preInformationForm: service.preInformationForm ?? '', languages: service.languages, active: service.active ? 'true' : '',
  };
}

/**
 * Services for administrators: the list, a new service and a service's
 * details, every field the admin API takes, through its service and checks.
 * Duration, buffer, capacity and unit are shown but fixed once created.
 */
@Injectable()
export class ServicesPages {
  constructor(
    private readonly kit: StaffPageKit,
    private readonly services: ServicesService,
    private readonly units: UnitsService,
    private readonly forms: FormDefinitionsService,
  ) {}

  async list(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    sendPage(res, <ServiceListPage ctx={ctx} services={await this.services.list(true)} units={await this.units.list()} />);
  }

  async newService(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    sendPage(res, <ServiceFormPage ctx={ctx} units={await this.units.list()} forms={await this.preInformationForms(ctx)} values={NEW_SERVICE} />);
  }

  async create(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    let created: Service;
    try {
      created = await this.services.create(await validated(CreateServiceDto, serviceRequest(req.body, true)));
    } catch (error) {
      const problems = problemsOf(error, ctx.lang, controls(ctx, true), { code: ctx.s.services.codeTaken });
      if (!problems) throw error;
      const page = <ServiceFormPage ctx={ctx} units={await this.units.list()} forms={await this.preInformationForms(ctx)} values={postedValues(req.body)} problems={problems} />;
      return sendPage(res, page, problems.status);
    }
    redirectTo(res, `/admin/services/${created.id}?done=created`);
  }

  async edit(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    const service = await this.services.get(id);
    const done = DONE.find((d) => d === req.query.done);
    const page = <ServiceFormPage ctx={ctx} service={service} units={await this.units.list()} forms={await this.preInformationForms(ctx)} values={storedValues(service)} notice={done && ctx.s.services[done]} />;
    sendPage(res, page);
  }

  async update(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    const service = await this.services.get(id);
    try {
      await this.services.update(id, await validated(UpdateServiceDto, serviceRequest(req.body, false)));
    } catch (error) {
      const problems = problemsOf(error, ctx.lang, controls(ctx, false));
      if (!problems) throw error;
      const page = <ServiceFormPage ctx={ctx} service={service} units={await this.units.list()} forms={await this.preInformationForms(ctx)} values={postedValues(req.body)} problems={problems} />;
      return sendPage(res, page, problems.status);
    }
    redirectTo(res, `/admin/services/${id}?done=saved`);
  }

  /** The pre-information forms there are (any status), by id with the newest version's title. */
  private async preInformationForms(ctx: StaffPageContext): Promise<[string, string][]> {
    const titles = new Map<string, string>();
    for (const form of await this.forms.list()) if (form.purpose === 'pre-information') titles.set(form.id, form.title[ctx.lang] ?? form.id);
    return [...titles].map(([id, title]): [string, string] => [id, `${title} (${id})`]).sort((a, b) => a[1].localeCompare(b[1], ctx.lang));
  }
}

export function ServiceListPage({ ctx, services, units }: { ctx: StaffPageContext; services: Service[]; units: Unit[] }) {
  const s = ctx.s.services;
  const unitName = (id: string) => units.find((u) => u.id === id)?.name[ctx.lang] ?? ctx.s.common.none;
  return (
    <StaffLayout ctx={ctx} title={s.title} section="services">
      <h1>{s.title}</h1>
      <p>{s.lead}</p>
      <p><a href="/admin/services/new" class="hds-button hds-button--secondary"><span class="hds-button__label">{s.new}</span></a></p>
      {services.length === 0 ? <p>{s.empty}</p> : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={s.title}>
          <table class="data data--wide">
            <caption class="visually-hidden">{s.title}</caption>
            <thead>
              <tr>
                <th scope="col">{s.name}</th><th scope="col">{s.code}</th><th scope="col">{s.unit}</th><th scope="col" class="num">{s.duration}</th>
                <th scope="col">{s.channels}</th><th scope="col">{s.status}</th>
              </tr>
            </thead>
            <tbody>
              {services.map((service) => (
                <tr key={service.id} data-id={service.id}>
                  <th scope="row"><a href={`/admin/services/${service.id}`}>{service.name[ctx.lang]}</a></th>
                  <td>{service.code}</td>
                  <td>{unitName(service.unitId)}</td>
                  <td class="num">{service.durationMinutes}</td>
                  <td>{service.channels.map((c) => ctx.t.channel[c]).join(', ')}</td>
                  <td>{service.active ? s.active : <span class="tag">{s.inactive}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </StaffLayout>
  );
}

/** A new service (without `service`) or a service's details. */
export function ServiceFormPage({ ctx, service, units, forms, values, problems, notice }: {
  ctx: StaffPageContext; service?: Service; units: Unit[]; forms: [string, string][]; values: FormValues; problems?: FormProblems; notice?: string;
}) {
  const s = ctx.s.services;
  const errors: ControlErrors = problems?.errors ?? {};
  const title = service ? interpolate(s.editTitle, { name: service.name[ctx.lang] }) : s.newTitle;
  const chosenForm = valueOf(values, 'preInformationForm');
  const formOptions: [string, string][] = [['', s.noForm], ...forms, ...(chosenForm && !forms.some(([id]) => id === chosenForm) ? [[chosenForm, chosenForm] as [string, string]] : [])];
  const number = (field: NumberField, hint?: string) => <NumberInput id={field} label={numberLabel(ctx, field)} hint={hint} value={valueOf(values, field)} error={errors[field]} />;
  const unit = service && units.find((u) => u.id === service.unitId);
  return (
    <StaffLayout ctx={ctx} title={title} section="services" hasErrors={!!problems}>
      <p><a href="/admin/services">{s.back}</a></p>
      {problems && <ErrorSummary title={ctx.s.common.errorTitle} errors={problems.summary} />}
      {notice && <Notice kind="success"><p>{notice}</p></Notice>}
      <h1>{title}</h1>
      <PostForm ctx={ctx} action={service ? `/admin/services/${service.id}` : '/admin/services'}>
        {service ? (
          <>
            <SummaryList rows={[
              [s.code, service.code], [s.unit, unit?.name[ctx.lang] ?? ctx.s.common.none],
              ...FIXED.map((f): [string, string] => [numberLabel(ctx, f), String(service[f])]),
            ]} />
            <p class="hint">{s.fixedHint}</p>
          </>
        ) : (
          <>
            <TextInput id="code" label={s.code} hint={s.codeHint} value={valueOf(values, 'code')} error={errors.code} maxLength={63} narrow />
            <Select id="unitId" label={s.unit} value={valueOf(values, 'unitId')} error={errors.unitId}
              options={[['', s.chooseUnit], ...units.map((u): [string, string] => [u.id, u.name[ctx.lang]])]} />
          </>
        )}
        <LocalizedInputs prefix="name" legend={s.name} labels={{ fi: s.nameFi, sv: s.nameSv, en: s.nameEn }}
          value={{ fi: valueOf(values, 'name-fi'), sv: valueOf(values, 'name-sv'), en: valueOf(values, 'name-en') }} errors={errors} />
        <LocalizedInputs prefix="description" legend={s.description} hint={s.descriptionHint} multiline
          labels={{ fi: s.descriptionFi, sv: s.descriptionSv, en: s.descriptionEn }}
          value={{ fi: valueOf(values, 'description-fi'), sv: valueOf(values, 'description-sv'), en: valueOf(values, 'description-en') }} errors={errors} />
        {!service && (
          <>
            {number('durationMinutes')}
            {number('bufferMinutes')}
            {number('capacity', s.capacityHint)}
            <p class="hint">{s.fixedHint}</p>
          </>
        )}
        <CheckGroup name="channels" legend={s.channels} values={valuesOf(values, 'channels')} error={errors[`channels-${CHANNELS[0]}`]}
          options={CHANNELS.map((c) => [c, ctx.t.channel[c]])} />
        {number('minNoticeMinutes')}
        {number('horizonDays')}
        {number('changeDeadlineMinutes')}
        <TextInput id="reminderOffsetsMinutes" label={s.reminders} hint={s.remindersHint} value={valueOf(values, 'reminderOffsetsMinutes')} error={errors.reminderOffsetsMinutes} narrow />
        {number('staffNoticeWorkingDays', s.staffNoticeHint)}
        <Select id="preInformationForm" label={s.preInformationForm} value={chosenForm} options={formOptions} error={errors.preInformationForm} />
        <CheckGroup name="languages" legend={s.languages} values={valuesOf(values, 'languages')} error={errors[`languages-${LANGUAGES[0]}`]}
          options={LANGUAGES.map((l) => [l, ctx.t.booking.languageNames[l]])} />
        {service && <Check id="active" label={s.active} hint={s.activeHint} checked={valueOf(values, 'active') === 'true'} />}
        <Submit>{service ? s.save : s.create}</Submit>
      </PostForm>
    </StaffLayout>
  );
}
