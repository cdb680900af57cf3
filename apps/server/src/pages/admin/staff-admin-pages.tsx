import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CreateStaffDto, type Role, StaffService, type StaffView, type Unit, UnitsService, UpdateStaffDto } from '@app/identity';
import { DomainError, LANGUAGES, interpolate } from '@app/platform';
import { ErrorSummary, Notice, PostForm, SummaryList } from '../components/ui';
import { redirectTo, sendPage } from '../render';
import { StaffPageKit } from '../staff/staff-kit';
import { StaffLayout, type StaffPageContext } from '../staff/staff-layout';
import {
  Check, CheckGroup, type ControlErrors, type ControlSpec, type FormProblems, type FormValues, LocalizedInputs, Submit, TextInput, checked, localized,
  postedValues, problemsOf, text, validated, valueOf, valuesOf,
} from './config-form';

const DONE = ['created', 'saved', 'password', 'deactivated', 'reactivated'] as const;
/** The roles in the order the form shows them. */
const ROLE_ORDER: readonly Role[] = ['staff', 'admin'];
type Done = (typeof DONE)[number];

/** The first check box of a unit role's column, where the error summary links (the group when there are no units). */
function unitColumn(units: Unit[], role: 'calendar' | 'handler'): string {
  return units.length ? `${role}-${units[0].id}` : 'units';
}

function detailControls(ctx: StaffPageContext, units: Unit[], creating: boolean): ControlSpec[] {
  const a = ctx.s.staffAdmin;
  return [
    ...(creating ? [{ field: 'email', id: 'email', label: a.email }] : []),
    { field: 'name', id: 'name', label: a.name },
    { field: 'title.fi', id: 'title-fi', label: a.jobTitleFi },
    { field: 'title.sv', id: 'title-sv', label: a.jobTitleSv },
    { field: 'title.en', id: 'title-en', label: a.jobTitleEn },
    { field: 'title', id: 'title-fi', label: a.jobTitleFi },
    ...(creating ? [{ field: 'password', id: 'password', label: a.password }] : []),
    { field: 'languages', id: `languages-${LANGUAGES[0]}`, label: a.languages },
    { field: 'roles', id: `roles-${ROLE_ORDER[0]}`, label: a.roles },
    { field: 'unitIds', id: unitColumn(units, 'calendar'), label: `${a.units}: ${a.calendar}` },
    { field: 'handlerUnitIds', id: unitColumn(units, 'handler'), label: `${a.units}: ${a.handler}` },
    { field: 'notifyNewSubmissions', id: 'notify', label: a.notify },
  ];
}

/** A posted password as typed (its rules look at spaces too), or ''. */
function password(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** The posted account form as the admin API's request (a title left empty in all three languages: none). */
function staffRequest(body: unknown, creating: boolean): Record<string, unknown> {
  return {
    ...(creating ? { email: text(body, 'email'), password: password(body, 'password') } : {}),
    name: text(body, 'name'),
    title: localized(body, 'title') ?? (creating ? undefined : null),
    languages: checked(body, 'languages'),
    roles: checked(body, 'roles'),
    unitIds: checked(body, 'calendar'),
    handlerUnitIds: checked(body, 'handler'),
    notifyNewSubmissions: text(body, 'notify') === 'true',
  };
}

function storedValues(staff: StaffView): FormValues {
  return {
    name: staff.name,
    'title-fi': staff.title?.fi ?? '', 'title-sv': staff.title?.sv ?? '', 'title-en': staff.title?.en ?? '',
    languages: staff.languages, roles: staff.roles, calendar: staff.unitIds, handler: staff.handlerUnitIds,
    notify: staff.notifyNewSubmissions ? 'true' : '',
  };
}

/** A form shown again: what was typed, never a password. */
function shownAgain(body: unknown): FormValues {
  const { password: _, newPassword: __, ...values } = postedValues(body);
  return values;
}

/**
 * Staff accounts for administrators: the list, a new account, and an
 * account's details (name, title, languages, roles, units with their roles,
 * notices), a new password and deactivation, through the admin API's
 * service: its checks, the identity lib's password rules, and its ending of
 * every session on a new password or deactivation.
 */
@Injectable()
export class StaffAdminPages {
  constructor(
    private readonly kit: StaffPageKit,
    private readonly staff: StaffService,
    private readonly units: UnitsService,
  ) {}

  async list(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    sendPage(res, <StaffListPage ctx={ctx} staff={await this.staff.list()} />);
  }

  async newStaff(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    sendPage(res, <StaffFormPage ctx={ctx} units={await this.units.list()} values={{ languages: ['fi'], roles: ['staff'], notify: 'true' }} />);
  }

  async create(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    const units = await this.units.list();
    let created: StaffView;
    try {
      created = await this.staff.create(await validated(CreateStaffDto, staffRequest(req.body, true)));
    } catch (error) {
      const problems = problemsOf(error, ctx.lang, detailControls(ctx, units, true), { email: ctx.s.staffAdmin.emailTaken });
      if (!problems) throw error;
      return sendPage(res, <StaffFormPage ctx={ctx} units={units} values={shownAgain(req.body)} problems={problems} />, problems.status);
    }
    redirectTo(res, `/admin/staff/${created.id}?done=created`);
  }

  async edit(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    const person = await this.staff.get(id);
    const done = DONE.find((d) => d === req.query.done);
    sendPage(res, <StaffFormPage ctx={ctx} person={person} units={await this.units.list()} values={storedValues(person)} done={done} />);
  }

  async update(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    const [person, units] = await Promise.all([this.staff.get(id), this.units.list()]);
    try {
      await this.staff.update(id, await validated(UpdateStaffDto, staffRequest(req.body, false)));
    } catch (error) {
      const problems = problemsOf(error, ctx.lang, detailControls(ctx, units, false));
      if (!problems) throw error;
      return sendPage(res, <StaffFormPage ctx={ctx} person={person} units={units} values={shownAgain(req.body)} problems={problems} />, problems.status);
    }
    redirectTo(res, `/admin/staff/${id}?done=saved`);
  }

  /** A new password, checked by the identity lib's rules; it ends every session of the account. */
  async setPassword(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    const person = await this.staff.get(id);
    try {
      await this.staff.update(id, await validated(UpdateStaffDto, { password: password(req.body, 'newPassword') }));
    } catch (error) {
      const problems = problemsOf(error, ctx.lang, [{ field: 'password', id: 'newPassword', label: ctx.s.staffAdmin.newPassword }]);
      if (!problems) throw error;
      const units = await this.units.list();
      return sendPage(res, <StaffFormPage ctx={ctx} person={person} units={units} values={storedValues(person)} problems={problems} />, problems.status);
    }
    if (id === ctx.caller!.auth.staffId) return redirectTo(res, '/staff/login?reason=signed-out');
    redirectTo(res, `/admin/staff/${id}?done=password`);
  }

  /** Deactivates (every session ends, no sign-in) or reactivates an account. */
  async setActive(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    const active = text(req.body, 'active');
    if (active !== 'true' && active !== 'false') throw new DomainError('validation_failed', {}, [{ field: 'active', rule: 'isBoolean' }]);
    await this.staff.update(id, await validated(UpdateStaffDto, { active: active === 'true' }));
    if (id === ctx.caller!.auth.staffId && active === 'false') return redirectTo(res, '/staff/login?reason=signed-out');
    redirectTo(res, `/admin/staff/${id}?done=${active === 'true' ? 'reactivated' : 'deactivated'}`);
  }
}

function rolesText(ctx: StaffPageContext, person: StaffView): string {
  const a = ctx.s.staffAdmin;
  return person.roles.map((r) => (r === 'admin' ? a.roleAdmin : a.roleStaff)).join(', ');
}

function unitsText(ctx: StaffPageContext, person: StaffView): string {
  const a = ctx.s.staffAdmin;
  if (!person.units.length) return ctx.s.common.none;
  return person.units.map((u) => `${u.name[ctx.lang]} (${u.roles.map((r) => (r === 'calendar' ? a.calendar : a.handler)).join(', ')})`).join('; ');
}

export function StaffListPage({ ctx, staff }: { ctx: StaffPageContext; staff: StaffView[] }) {
  const a = ctx.s.staffAdmin;
  return (
    <StaffLayout ctx={ctx} title={a.title} section="staff-admin">
      <h1>{a.title}</h1>
      <p>{a.lead}</p>
      <p><a href="/admin/staff/new" class="hds-button hds-button--secondary"><span class="hds-button__label">{a.new}</span></a></p>
      {staff.length === 0 ? <p>{a.empty}</p> : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={a.title}>
          <table class="data data--wide">
            <caption class="visually-hidden">{a.title}</caption>
            <thead>
              <tr>
                <th scope="col">{a.name}</th><th scope="col">{a.email}</th><th scope="col">{a.roles}</th><th scope="col">{a.units}</th>
                <th scope="col">{a.languages}</th><th scope="col">{a.status}</th>
              </tr>
            </thead>
            <tbody>
              {staff.map((person) => (
                <tr key={person.id} data-id={person.id}>
                  <th scope="row"><a href={`/admin/staff/${person.id}`}>{person.name}</a></th>
                  <td>{person.email}</td>
                  <td>{rolesText(ctx, person)}</td>
                  <td>{unitsText(ctx, person)}</td>
                  <td>{person.languages.map((l) => ctx.t.booking.languageNames[l]).join(', ')}</td>
                  <td>{person.active ? a.active : <span class="tag">{a.inactive}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </StaffLayout>
  );
}

/** A new account (without `person`) or an account's details, its new password and its deactivation. */
export function StaffFormPage({ ctx, person, units, values, problems, done }: {
  ctx: StaffPageContext; person?: StaffView; units: Unit[]; values: FormValues; problems?: FormProblems; done?: Done;
}) {
  const a = ctx.s.staffAdmin;
  const errors: ControlErrors = problems?.errors ?? {};
  const title = person ? interpolate(a.editTitle, { name: person.name }) : a.newTitle;
  const calendar = valuesOf(values, 'calendar');
  const handler = valuesOf(values, 'handler');
  const notice = done && { created: a.created, saved: a.saved, password: a.passwordSet, deactivated: a.deactivated, reactivated: a.reactivated }[done];
  const unitError = [errors[unitColumn(units, 'calendar')], errors[unitColumn(units, 'handler')]].filter(Boolean).join(' ') || undefined;
  return (
    <StaffLayout ctx={ctx} title={title} section="staff-admin" hasErrors={!!problems}>
      <p><a href="/admin/staff">{a.back}</a></p>
      {problems && <ErrorSummary title={ctx.s.common.errorTitle} errors={problems.summary} />}
      {notice && <Notice kind="success"><p>{notice}</p></Notice>}
      <h1>{title}</h1>
      {person && <SummaryList rows={[[a.email, person.email], [a.status, person.active ? a.active : a.inactive]]} />}
      <PostForm ctx={ctx} action={person ? `/admin/staff/${person.id}` : '/admin/staff'}>
        {!person && <TextInput id="email" type="email" label={a.email} hint={a.emailHint} value={valueOf(values, 'email')} error={errors.email} maxLength={254} />}
        <TextInput id="name" label={a.name} value={valueOf(values, 'name')} error={errors.name} maxLength={200} />
        <LocalizedInputs prefix="title" legend={a.jobTitle} hint={a.jobTitleHint} labels={{ fi: a.jobTitleFi, sv: a.jobTitleSv, en: a.jobTitleEn }}
          value={{ fi: valueOf(values, 'title-fi'), sv: valueOf(values, 'title-sv'), en: valueOf(values, 'title-en') }} errors={errors} />
        {!person && <TextInput id="password" type="password" label={a.password} hint={a.passwordHint} value="" error={errors.password} autoComplete="new-password" maxLength={200} />}
        <CheckGroup name="languages" legend={a.languages} hint={a.languagesHint} values={valuesOf(values, 'languages')} error={errors[`languages-${LANGUAGES[0]}`]}
          options={LANGUAGES.map((l) => [l, ctx.t.booking.languageNames[l]])} />
        <CheckGroup name="roles" legend={a.roles} values={valuesOf(values, 'roles')} error={errors[`roles-${ROLE_ORDER[0]}`]}
          options={ROLE_ORDER.map((r) => [r, r === 'admin' ? a.roleAdmin : a.roleStaff])} />
        <fieldset id="units" class={`field${unitError ? ' field--error' : ''}`} aria-describedby={unitError ? 'units-hint units-error' : 'units-hint'}>
          <legend>{a.units}</legend>
          <p class="hint" id="units-hint">{a.unitsHint}</p>
          {unitError && <p class="error-text" id="units-error">{unitError}</p>}
          {units.length === 0 ? <p>{a.noUnits}</p> : units.map((unit) => (
            <fieldset key={unit.id} class="unit-roles">
              <legend>{unit.name[ctx.lang]}</legend>
              {(['calendar', 'handler'] as const).map((role) => (
                <div class="choice" key={role}>
                  <input type="checkbox" id={`${role}-${unit.id}`} name={role} value={unit.id} checked={(role === 'calendar' ? calendar : handler).includes(unit.id)} />
                  <label for={`${role}-${unit.id}`}>{role === 'calendar' ? a.calendar : a.handler}</label>
                </div>
              ))}
            </fieldset>
          ))}
        </fieldset>
        <Check id="notify" label={a.notify} checked={valueOf(values, 'notify') === 'true'} />
        <Submit>{person ? a.save : a.create}</Submit>
      </PostForm>
      {person && (
        <div class="action-grid">
          <section aria-labelledby="password-heading">
            <h2 id="password-heading">{a.passwordHeading}</h2>
            <p>{a.passwordLead}</p>
            <PostForm ctx={ctx} action={`/admin/staff/${person.id}/password`}>
              <TextInput id="newPassword" type="password" label={a.newPassword} hint={a.passwordHint} value="" error={errors.newPassword} autoComplete="new-password" maxLength={200} />
              <Submit>{a.setPassword}</Submit>
            </PostForm>
          </section>
          <section aria-labelledby="active-heading">
            <h2 id="active-heading">{a.activeHeading}</h2>
            <p>{person.active ? a.deactivateLead : a.reactivateLead}</p>
            <PostForm ctx={ctx} action={`/admin/staff/${person.id}/active`}>
              <input type="hidden" name="active" value={person.active ? 'false' : 'true'} />
              <button type="submit" class={`hds-button ${person.active ? 'hds-button--secondary' : 'hds-button--primary'}`}>
                <span class="hds-button__label">{person.active ? a.deactivate : a.reactivate}</span>
              </button>
            </PostForm>
          </section>
        </div>
      )}
    </StaffLayout>
  );
}
