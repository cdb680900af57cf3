import type { ComponentChildren } from 'preact';
import { DomainError, type Lang } from '@app/platform';
import { renderError } from '../../http/error.filter';
import { createValidationPipe } from '../../http/validation';
import type { FieldError } from '../components/ui';

/**
 * The building blocks of the administrators' configuration forms (units,
 * staff, services): reading a posted form into the API's request shape,
 * checking it with the API's DTO and rules, and showing what failed next to
 * each control and in the error summary, in the page's language.
 */

/** Messages by control id. */
export type ControlErrors = Record<string, string>;

/** One control of a form: the request field it fills (`name.fi`), its id on the page, its label. */
export interface ControlSpec {
  field: string;
  id: string;
  label: string;
}

export interface FormProblems {
  /** Message per control id, shown next to the control. */
  errors: ControlErrors;
  /** The error summary: one link per control, in the form's order. */
  summary: FieldError[];
  status: number;
}

type Body = Record<string, unknown> | undefined;

/** A posted text, trimmed; '' when absent. */
export function text(body: unknown, name: string): string {
  const value = (body as Body)?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** A posted text, or undefined when empty. */
export function optionalText(body: unknown, name: string): string | undefined {
  return text(body, name) || undefined;
}

/** A whole number as the API takes it; other text is kept as it is, so the API's rule names it (`isInt`). Empty: undefined. */
export function integer(value: string): number | string | undefined {
  if (value === '') return undefined;
  return /^-?\d{1,9}$/.test(value) ? Number(value) : value;
}

/** The values of a group of check boxes (one value or several). */
export function checked(body: unknown, name: string): string[] {
  const value = (body as Body)?.[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A list typed into one field, separated by commas, semicolons, spaces or lines. */
export function listOf(value: string): string[] {
  return value.split(/[\s,;]+/).filter(Boolean);
}

/** A text in Finnish, Swedish and English from the fields `<prefix>-fi`, `-sv`, `-en`; none when all three are empty. */
export function localized(body: unknown, prefix: string): { fi: string; sv: string; en: string } | undefined {
  const value = { fi: text(body, `${prefix}-fi`), sv: text(body, `${prefix}-sv`), en: text(body, `${prefix}-en`) };
  return value.fi || value.sv || value.en ? value : undefined;
}

const pipe = createValidationPipe();

/** The request checked by the API's DTO and its rules: the same messages as the API. Throws `validation_failed`. */
export function validated<T extends object>(metatype: new () => T, plain: Record<string, unknown>): Promise<T> {
  const given = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  return pipe.transform(given, { type: 'body', metatype, data: '' }) as Promise<T>;
}

/** Rules that say what kind of value is missing or wrong; a field breaking one hears of it before any limit. */
const FIRST_RULES = new Set(['isDefined', 'isString', 'isInt', 'isArray', 'isObject', 'isUUID', 'textBlank']);

/** Client errors a configuration form shows on itself; any other error is the error page. */
const SHOWN = new Set(['validation_failed', 'already_exists', 'unknown_reference']);

/**
 * A domain error as messages by control, or undefined when it is not about
 * the input (then the caller rethrows it). `taken` words "already exists"
 * per field; a field no control fills is shown at the first control.
 */
export function problemsOf(error: unknown, lang: Lang, controls: ControlSpec[], taken: Record<string, string> = {}): FormProblems | undefined {
  if (!(error instanceof DomainError) || !SHOWN.has(error.code) || !controls.length) return undefined;
  const rendered = renderError(error, lang);
  const found: { field: string; rule: string; message: string }[] = error.code === 'validation_failed'
    ? (rendered.fields ?? []).map((f) => ({ field: f.field, rule: f.rule, message: f.message }))
    : [{ field: String(error.params.field ?? ''), rule: error.code, message: (error.code === 'already_exists' && taken[String(error.params.field)]) || rendered.message }];
  // One message per control: what is wrong first (missing, not a number), then the limits it breaks.
  found.sort((a, b) => Number(!FIRST_RULES.has(a.rule)) - Number(!FIRST_RULES.has(b.rule)));
  const errors: ControlErrors = {};
  for (const { field, message } of found) {
    const control = controls.find((c) => c.field === field) ?? controls.find((c) => field.startsWith(`${c.field}.`)) ?? controls[0];
    errors[control.id] ??= message;
  }
  const shown = controls.filter((c, i) => errors[c.id] && controls.findIndex((d) => d.id === c.id) === i);
  const summary = shown.map((c) => ({ id: c.id, message: `${c.label}: ${errors[c.id]}` }));
  return { errors, summary, status: error.code === 'validation_failed' ? 422 : rendered.status };
}

function described(id: string, hint?: string, error?: string): string | undefined {
  return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
}

function Messages({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="error-text" id={`${id}-error`}>{error}</p>}
    </>
  );
}

export function TextInput({ id, label, value, hint, error, type = 'text', autoComplete, maxLength, inputMode, narrow }: {
  id: string; label: string; value: string; hint?: string; error?: string; type?: 'text' | 'email' | 'tel' | 'password';
  autoComplete?: string; maxLength?: number; inputMode?: 'numeric' | 'email' | 'tel'; narrow?: boolean;
}) {
  return (
    <div class={`field${narrow ? ' field--narrow' : ''}${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      <Messages id={id} hint={hint} error={error} />
      <input type={type} id={id} name={id} value={value} autoComplete={autoComplete ?? 'off'} maxLength={maxLength} inputMode={inputMode}
        spellcheck={type === 'text' ? undefined : false} aria-describedby={described(id, hint, error)} aria-invalid={error ? 'true' : undefined} />
    </div>
  );
}

export function NumberInput(props: { id: string; label: string; value: string; hint?: string; error?: string }) {
  return <TextInput {...props} inputMode="numeric" maxLength={12} narrow />;
}

export function TextArea({ id, label, value, hint, error, rows = 4 }: { id: string; label: string; value: string; hint?: string; error?: string; rows?: number }) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      <Messages id={id} hint={hint} error={error} />
      <textarea id={id} name={id} rows={rows} aria-describedby={described(id, hint, error)} aria-invalid={error ? 'true' : undefined}>{value}</textarea>
    </div>
  );
}

export function Select({ id, label, value, options, hint, error }: {
  id: string; label: string; value: string; options: [string, string][]; hint?: string; error?: string;
}) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      <Messages id={id} hint={hint} error={error} />
      <select id={id} name={id} aria-describedby={described(id, hint, error)} aria-invalid={error ? 'true' : undefined}>
        {options.map(([v, l]) => <option key={v} value={v} selected={v === value}>{l}</option>)}
      </select>
    </div>
  );
}

/** A group of check boxes named `name`; each box's id is `<name>-<value>`, the first one is where the summary links. */
export function CheckGroup({ name, legend, options, values, hint, error }: {
  name: string; legend: string; options: [string, string][]; values: string[]; hint?: string; error?: string;
}) {
  return (
    <fieldset class={`field${error ? ' field--error' : ''}`} aria-describedby={described(name, hint, error)}>
      <legend>{legend}</legend>
      <Messages id={name} hint={hint} error={error} />
      {options.map(([value, label]) => (
        <div class="choice" key={value}>
          <input type="checkbox" id={`${name}-${value}`} name={name} value={value} checked={values.includes(value)} />
          <label for={`${name}-${value}`}>{label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** One check box that posts `true` when checked. */
export function Check({ id, label, checked: on, hint }: { id: string; label: string; checked: boolean; hint?: string }) {
  return (
    <div class="field">
      <div class="choice">
        <input type="checkbox" id={id} name={id} value="true" checked={on} aria-describedby={hint ? `${id}-hint` : undefined} />
        <label for={id}>{label}</label>
      </div>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  );
}

/** The three language versions of a text, as one group. */
export function LocalizedInputs({ prefix, legend, labels, value, errors, hint, multiline }: {
  prefix: string; legend: string; labels: { fi: string; sv: string; en: string }; value: { fi: string; sv: string; en: string };
  errors: ControlErrors; hint?: string; multiline?: boolean;
}) {
  return (
    <fieldset class="field">
      <legend>{legend}</legend>
      {hint && <p class="hint">{hint}</p>}
      {(['fi', 'sv', 'en'] as const).map((lang) => multiline
        ? <TextArea key={lang} id={`${prefix}-${lang}`} label={labels[lang]} value={value[lang]} error={errors[`${prefix}-${lang}`]} />
        : <TextInput key={lang} id={`${prefix}-${lang}`} label={labels[lang]} value={value[lang]} error={errors[`${prefix}-${lang}`]} maxLength={200} />)}
    </fieldset>
  );
}

/** The form's main button. */
export function Submit({ children }: { children: ComponentChildren }) {
  return (
    <div class="actions">
      <button type="submit" class="hds-button hds-button--primary"><span class="hds-button__label">{children}</span></button>
    </div>
  );
}

/** The values a form shows: as posted (after an error) or from the stored record. */
export type FormValues = Record<string, string | string[]>;

export function valueOf(values: FormValues, id: string): string {
  const value = values[id];
  return typeof value === 'string' ? value : '';
}

export function valuesOf(values: FormValues, id: string): string[] {
  const value = values[id];
  return Array.isArray(value) ? value : typeof value === 'string' && value ? [value] : [];
}

/** A posted form as values to show again (strings and lists only; the form token left out). */
export function postedValues(body: unknown): FormValues {
  const out: FormValues = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (key === '_csrf') continue;
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}
