import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CreateUnitDto, type Unit, UnitsService, UpdateUnitDto } from '@app/identity';
import { MUNICIPALITIES, interpolate } from '@app/platform';
import { ErrorSummary, Notice, PostForm, SummaryList } from '../components/ui';
import { redirectTo, sendPage } from '../render';
import { StaffPageKit } from '../staff/staff-kit';
import { StaffLayout, type StaffPageContext } from '../staff/staff-layout';
import {
  type ControlErrors, type ControlSpec, type FormProblems, type FormValues, LocalizedInputs, Select, Submit, TextArea, TextInput, listOf, optionalText,
  postedValues, problemsOf, text, validated, valueOf,
} from './config-form';

const DONE = ['created', 'saved'] as const;

function controls(ctx: StaffPageContext, creating: boolean): ControlSpec[] {
  const u = ctx.s.units;
  return [
    ...(creating ? [{ field: 'code', id: 'code', label: u.code }] : []),
    { field: 'name.fi', id: 'name-fi', label: u.nameFi },
    { field: 'name.sv', id: 'name-sv', label: u.nameSv },
    { field: 'name.en', id: 'name-en', label: u.nameEn },
    { field: 'name', id: 'name-fi', label: u.nameFi },
    { field: 'email', id: 'email', label: u.email },
    { field: 'phone', id: 'phone', label: u.phone },
    { field: 'address', id: 'address', label: u.address },
    { field: 'municipalityCode', id: 'municipalityCode', label: u.municipalityCode },
    { field: 'municipalities', id: 'municipalities', label: u.municipalities },
  ];
}

/**
 * The posted unit form as the admin API's request: a field left empty is
 * not given when creating, and cleared when editing (`null`, as a PATCH
 * would); the municipalities served are typed as a list of codes.
 */
function unitRequest(body: unknown, creating: boolean): Record<string, unknown> {
  const cleared = creating ? undefined : null;
  return {
    ...(creating ? { code: text(body, 'code') } : {}),
    name: { fi: text(body, 'name-fi'), sv: text(body, 'name-sv'), en: text(body, 'name-en') },
    email: optionalText(body, 'email') ?? cleared,
    phone: optionalText(body, 'phone') ?? cleared,
    address: optionalText(body, 'address') ?? cleared,
    municipalityCode: optionalText(body, 'municipalityCode') ?? cleared,
    municipalities: listOf(text(body, 'municipalities')),
  };
}

function storedValues(unit: Unit): FormValues {
  return {
    'name-fi': unit.name.fi, 'name-sv': unit.name.sv, 'name-en': unit.name.en,
    email: unit.email ?? '', phone: unit.phone ?? '', address: unit.address ?? '', municipalityCode: unit.municipalityCode ?? '',
    municipalities: unit.municipalities.join(', '),
  };
}

/**
 * Units for administrators: the list, a new unit, and a unit's details
 * (names in three languages, contact details, the municipalities served and
 * the inbox address), through the admin API's service and its checks.
 */
@Injectable()
export class UnitsPages {
  constructor(
    private readonly kit: StaffPageKit,
    private readonly units: UnitsService,
  ) {}

  async list(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    sendPage(res, <UnitListPage ctx={ctx} units={await this.units.list()} />);
  }

  async newUnit(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    sendPage(res, <UnitFormPage ctx={ctx} values={{}} />);
  }

  async create(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    let created: Unit;
    try {
      created = await this.units.create(await validated(CreateUnitDto, unitRequest(req.body, true)));
    } catch (error) {
      const problems = problemsOf(error, ctx.lang, controls(ctx, true), { code: ctx.s.units.codeTaken });
      if (!problems) throw error;
      return sendPage(res, <UnitFormPage ctx={ctx} values={postedValues(req.body)} problems={problems} />, problems.status);
    }
    redirectTo(res, `/admin/units/${created.id}?done=created`);
  }

  async edit(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    const unit = await this.units.get(id);
    const done = DONE.find((d) => d === req.query.done);
    sendPage(res, <UnitFormPage ctx={ctx} unit={unit} values={storedValues(unit)} notice={done && ctx.s.units[done]} />);
  }

  async update(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    const unit = await this.units.get(id);
    try {
      await this.units.update(id, await validated(UpdateUnitDto, unitRequest(req.body, false)));
    } catch (error) {
      const problems = problemsOf(error, ctx.lang, controls(ctx, false));
      if (!problems) throw error;
      return sendPage(res, <UnitFormPage ctx={ctx} unit={unit} values={postedValues(req.body)} problems={problems} />, problems.status);
    }
    redirectTo(res, `/admin/units/${id}?done=saved`);
  }
}

export function UnitListPage({ ctx, units }: { ctx: StaffPageContext; units: Unit[] }) {
  const u = ctx.s.units;
  return (
    <StaffLayout ctx={ctx} title={u.title} section="units">
      <h1>{u.title}</h1>
      <p>{u.lead}</p>
      <p><a href="/admin/units/new" class="hds-button hds-button--secondary"><span class="hds-button__label">{u.new}</span></a></p>
      {units.length === 0 ? <p>{u.empty}</p> : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={u.title}>
          <table class="data data--wide">
            <caption class="visually-hidden">{u.title}</caption>
            <thead>
              <tr>
                <th scope="col">{u.name}</th><th scope="col">{u.code}</th><th scope="col">{u.email}</th><th scope="col">{u.phone}</th>
                <th scope="col" class="num">{u.municipalities}</th>
              </tr>
            </thead>
            <tbody>
              {units.map((unit) => (
                <tr key={unit.id} data-id={unit.id}>
                  <th scope="row"><a href={`/admin/units/${unit.id}`}>{unit.name[ctx.lang]}</a></th>
                  <td>{unit.code}</td>
                  <td>{unit.email ?? ctx.s.common.none}</td>
                  <td>{unit.phone ?? ctx.s.common.none}</td>
                  <td class="num">{unit.municipalities.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </StaffLayout>
  );
}

/** A new unit (without `unit`) or a unit's details, with the values shown and what failed. */
export function UnitFormPage({ ctx, unit, values, problems, notice }: {
  ctx: StaffPageContext; unit?: Unit; values: FormValues; problems?: FormProblems; notice?: string;
}) {
  const u = ctx.s.units;
  const errors: ControlErrors = problems?.errors ?? {};
  const title = unit ? interpolate(u.editTitle, { name: unit.name[ctx.lang] }) : u.newTitle;
  const nameOf = (m: (typeof MUNICIPALITIES)[number]) => (ctx.lang === 'sv' ? m.name.sv : m.name.fi);
  const municipalities: [string, string][] = [
    ['', u.noMunicipality],
    ...[...MUNICIPALITIES].sort((a, b) => nameOf(a).localeCompare(nameOf(b), ctx.lang)).map((m): [string, string] => [m.code, `${nameOf(m)} (${m.code})`]),
  ];
  return (
    <StaffLayout ctx={ctx} title={title} section="units" hasErrors={!!problems}>
      <p><a href="/admin/units">{u.back}</a></p>
      {problems && <ErrorSummary title={ctx.s.common.errorTitle} errors={problems.summary} />}
      {notice && <Notice kind="success"><p>{notice}</p></Notice>}
      <h1>{title}</h1>
      <PostForm ctx={ctx} action={unit ? `/admin/units/${unit.id}` : '/admin/units'}>
        {unit
          ? <SummaryList rows={[[u.code, unit.code]]} />
          : <TextInput id="code" label={u.code} hint={u.codeHint} value={valueOf(values, 'code')} error={errors.code} maxLength={63} narrow />}
        <LocalizedInputs prefix="name" legend={u.name} labels={{ fi: u.nameFi, sv: u.nameSv, en: u.nameEn }}
          value={{ fi: valueOf(values, 'name-fi'), sv: valueOf(values, 'name-sv'), en: valueOf(values, 'name-en') }} errors={errors} />
        <TextInput id="email" type="email" label={u.email} hint={u.emailHint} value={valueOf(values, 'email')} error={errors.email} autoComplete="off" />
        <TextInput id="phone" type="tel" label={u.phone} value={valueOf(values, 'phone')} error={errors.phone} narrow />
        <TextInput id="address" label={u.address} value={valueOf(values, 'address')} error={errors.address} maxLength={300} />
        <Select id="municipalityCode" label={u.municipalityCode} value={valueOf(values, 'municipalityCode')} options={municipalities} error={errors.municipalityCode} />
        <TextArea id="municipalities" label={u.municipalities} hint={u.municipalitiesHint} value={valueOf(values, 'municipalities')} error={errors.municipalities} />
        <Submit>{unit ? u.save : u.create}</Submit>
      </PostForm>
    </StaffLayout>
  );
}
