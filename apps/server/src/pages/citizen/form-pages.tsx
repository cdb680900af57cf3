import type { FormDefinition, Page, PageItem, Question, SubmissionReceipt } from '@app/forms';
import { MUNICIPALITIES } from '@app/forms';
import { COUNTIES, type Lang, interpolate } from '@app/platform';
import { Layout } from '../components/layout';
import { ErrorSummary, type FieldError, Notice, PostForm, SummaryList } from '../components/ui';
import { formatDateTime } from '../format';
import type { PageContext } from '../page-context';

/** The id of the form element whose answers the language buttons keep. */
export const ANSWERS_FORM = 'answers';
/** At most this many items in a repeatable group, whatever its schema says. */
export const MAX_GROUP_ITEMS = 50;

export type Answers = Record<string, unknown>;

/** The id of the control a question's error links to. */
export function controlId(question: Question): string {
  if (question.control === 'group') return groupControlId(question, 0);
  return ['radio', 'checkboxes', 'yesno'].includes(question.control) ? `q-${question.answer}-0` : `q-${question.answer}`;
}

/** A repeatable group's item question: its field name and the id of its control. */
export function itemField(group: Question, index: number, nested: Question): { name: string; id: string } {
  return { name: `${group.answer}__${index}__${nested.answer}`, id: `q-${group.answer}-${index}-${nested.answer}` };
}

/** The control an error about a group's item (or the group itself) links to: the item's first question. */
export function groupControlId(group: Question, index: number, nested = group.questions?.[0]): string {
  if (!nested) return `q-${group.answer}`;
  const { id } = itemField(group, index, nested);
  return ['radio', 'checkboxes', 'yesno'].includes(nested.control) ? `${id}-0` : id;
}

/** "Lapsi" → "lapsi" inside a sentence ("Lisää lapsi"); "HETU" stays. */
function lowerFirst(text: string): string {
  return text.length > 1 && text[1] === text[1].toLowerCase() ? text[0].toLowerCase() + text.slice(1) : text;
}

const isQuestion = (item: PageItem): item is Question => 'answer' in item;

interface FormShell {
  ctx: PageContext;
  form: FormDefinition;
  title: string;
  hasErrors?: boolean;
  /** The page has the answers form: the language buttons post it. */
  answersForm?: boolean;
  children: preact.ComponentChildren;
}

/**
 * A form's frame: quick exit (link and keys) and a neutral title on
 * sensitive forms, never indexed; on a page with answers the language switch
 * posts them, so switching keeps what was typed.
 */
export function FormLayout({ ctx, form, title, hasErrors, answersForm, children }: FormShell) {
  const sensitive = Boolean(form.sensitive);
  return (
    <Layout ctx={ctx} title={sensitive ? ctx.t.form.formTitleSensitive : title} noindex hasErrors={hasErrors} quickExit={sensitive}
      langForm={answersForm ? ANSWERS_FORM : undefined} script={ctx.script}>
      {children}
    </Layout>
  );
}

function Options({ question, value, lang, type, id, name }: { question: Question; value: unknown; lang: Lang; type: 'radio' | 'checkbox'; id: string; name: string }) {
  const chosen = Array.isArray(value) ? value.map(String) : [String(value ?? '')];
  return (
    <>
      {(question.options ?? []).map((option, index) => (
        <div class={type === 'radio' ? 'hds-radio-button' : 'hds-checkbox'} key={option.value}>
          <input class={type === 'radio' ? 'hds-radio-button__input' : 'hds-checkbox__input'} type={type} id={`${id}-${index}`}
            name={name} value={String(option.value)} checked={chosen.includes(String(option.value))} />
          <label class={type === 'radio' ? 'hds-radio-button__label' : 'hds-checkbox__label'} for={`${id}-${index}`}>{option.label[lang]}</label>
        </div>
      ))}
    </>
  );
}

export type PageError = FieldError & { answer: string; pointer: string };

/**
 * A repeatable group: each item a fieldset of the group's questions with a
 * remove button, then an add button; both are plain submit buttons of the
 * form (no script), and the runtime validates the items like any answer.
 */
function Group({ ctx, question, value, errors }: { ctx: PageContext; question: Question; value: unknown; errors: PageError[] }) {
  const { lang, t } = ctx;
  const m = t.formsMore;
  const items = Array.isArray(value) && value.length ? (value as Record<string, unknown>[]) : [{}];
  const itemLabel = (question.itemLabel ?? question.label)[lang];
  const own = errors.find((e) => e.pointer === `/${question.answer}`)?.message;
  const id = `q-${question.answer}`;
  return (
    <fieldset class={`group${own ? ' field--error' : ''}`} id={id} aria-describedby={[question.hint && `${id}-hint`, own && `${id}-error`].filter(Boolean).join(' ') || undefined}>
      <legend class="caption">{question.label[lang]}</legend>
      {question.hint && <p class="hint" id={`${id}-hint`}>{question.hint[lang]}</p>}
      {own && <p class="error-text" id={`${id}-error`}>{own}</p>}
      <input type="hidden" name={`_n_${question.answer}`} value={String(items.length)} />
      {items.map((item, index) => (
        <fieldset class="group-item" key={index}>
          <legend>{itemLabel} {index + 1}</legend>
          {(question.questions ?? []).map((nested) => {
            const field = itemField(question, index, nested);
            return (
              <Control key={nested.answer} ctx={ctx} question={nested} value={item?.[nested.answer]} id={field.id} name={field.name} allowRatherNotSay={false}
                error={errors.find((e) => e.pointer === `/${question.answer}/${index}/${nested.answer}`)?.message} />
            );
          })}
          <button type="submit" name="_go" value={`remove:${question.answer}:${index}`} class="hds-button hds-button--secondary">
            {interpolate(m.removeItem, { item: lowerFirst(itemLabel), n: index + 1 })}
          </button>
        </fieldset>
      ))}
      {items.length < MAX_GROUP_ITEMS && (
        <button type="submit" name="_go" value={`add:${question.answer}`} class="hds-button hds-button--secondary">
          {interpolate(m.addItem, { item: lowerFirst(itemLabel) })}
        </button>
      )}
    </fieldset>
  );
}

/** One question as an HDS-styled control, with its hint and error. */
function Control({ ctx, question, value, error, allowRatherNotSay, id = `q-${question.answer}`, name = question.answer }: {
  ctx: PageContext; question: Question; value: unknown; error?: string; allowRatherNotSay: boolean; id?: string; name?: string;
}) {
  const { lang, t } = ctx;
  const described = [question.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const hint = question.hint && <p class="hint" id={`${id}-hint`}>{question.hint[lang]}</p>;
  const errorText = error && <p class="error-text" id={`${id}-error`}>{error}</p>;
  const field = `field${error ? ' field--error' : ''}`;
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  if (['radio', 'checkboxes', 'yesno'].includes(question.control)) {
    const options = question.control === 'yesno'
      ? { ...question, options: [{ value: 'true', label: { fi: t.form.yes, sv: t.form.yes, en: t.form.yes } }, { value: 'false', label: { fi: t.form.no, sv: t.form.no, en: t.form.no } }] }
      : question;
    return (
      <fieldset class={`${field} hds-selection-group`} aria-describedby={described}>
        <legend>{question.label[lang]}</legend>
        {hint}
        {errorText}
        <Options question={options} value={question.control === 'yesno' && typeof value === 'boolean' ? String(value) : value} lang={lang}
          type={question.control === 'checkboxes' ? 'checkbox' : 'radio'} id={id} name={name} />
      </fieldset>
    );
  }
  let input;
  if (question.control === 'textarea') {
    input = <textarea id={id} name={name} rows={6} aria-describedby={described} aria-invalid={error ? 'true' : undefined}>{text}</textarea>;
  } else if (question.control === 'municipality') {
    input = (
      <select id={id} name={name} aria-describedby={described} aria-invalid={error ? 'true' : undefined}>
        <option value="">{t.form.chooseMunicipality}</option>
        {allowRatherNotSay && <option value="ratherNotSay" selected={text === 'ratherNotSay'}>{t.form.ratherNotSay}</option>}
        {COUNTIES.map((county) => (
          <optgroup label={county.name[lang === 'sv' ? 'sv' : 'fi']} key={county.id}>
            {MUNICIPALITIES.filter((m) => m.county === county.id).map((m) => (
              <option value={m.code} selected={text === m.code} key={m.code}>{m.name[lang === 'sv' ? 'sv' : 'fi']}</option>
            ))}
          </optgroup>
        ))}
      </select>
    );
  } else {
    const type = { email: 'email', phone: 'tel', date: 'date' }[question.control as string] ?? 'text';
    const inputMode = question.control === 'number' ? 'numeric' : undefined;
    input = <input type={type} id={id} name={name} value={text} inputMode={inputMode} autoComplete={question.autocomplete}
      aria-describedby={described} aria-invalid={error ? 'true' : undefined} />;
  }
  return (
    <div class={field}>
      <label for={id}>{question.label[lang]}</label>
      {hint}
      {errorText}
      {input}
    </div>
  );
}

export interface FormPageProps {
  ctx: PageContext;
  form: FormDefinition;
  page: Page;
  /** Which questions of the page are shown for the answers so far. */
  shown: (item: PageItem) => boolean;
  answers: Answers;
  errors: PageError[];
  state: string;
  step: number;
  steps: number;
  first: boolean;
  action: string;
  /** "Save and continue later" is offered. */
  drafts: boolean;
  /** A draft was just saved: its resume link and expiry. */
  saved?: { url: string; expiresAt: string };
  /** A note on top (answers filled in from the booking, a resumed draft). */
  notice?: string;
  /** An admin's preview: this banner on top, and the questions with nothing to send them (no form, no buttons). */
  preview?: preact.ComponentChildren;
}

/** The resume link of a saved draft, with when it expires and a warning not to share it. */
function SavedNotice({ ctx, saved }: { ctx: PageContext; saved: { url: string; expiresAt: string } }) {
  const m = ctx.t.formsMore;
  return (
    <div class="notice notice--success" role="status">
      <h2>{m.savedTitle}</h2>
      <p>{interpolate(m.savedLead, { until: formatDateTime(saved.expiresAt, ctx.lang) })}</p>
      <p><a class="resume-link" href={saved.url}>{saved.url}</a></p>
      <p>{m.savedWarning}</p>
    </div>
  );
}

/** A page's form; in a preview, the questions only. */
function PageForm({ ctx, action, form, preview, children }: { ctx: PageContext; action: string; form: FormDefinition; preview: boolean; children: preact.ComponentChildren }) {
  if (preview) return <div class="form-preview">{children}</div>;
  return <PostForm ctx={ctx} action={action} id={ANSWERS_FORM} autocomplete={form.sensitive ? 'off' : undefined}>{children}</PostForm>;
}

/** One page of a form: its questions, the error summary on top, Continue and Previous. */
export function FormPage({ ctx, form, page, shown, answers, errors, state, step, steps, first, action, drafts, saved, notice, preview }: FormPageProps) {
  const { lang, t } = ctx;
  const title = `${page.title[lang]} – ${form.title[lang]}`;
  return (
    <FormLayout ctx={ctx} form={form} title={title} hasErrors={errors.length > 0} answersForm={preview === undefined}>
      {preview}
      <ErrorSummary title={t.form.errorSummaryTitle} errors={errors} />
      {saved && <SavedNotice ctx={ctx} saved={saved} />}
      {notice && <Notice><p>{notice}</p></Notice>}
      <p>{form.title[lang]} · {interpolate(t.form.stepOf, { n: step, total: steps })}</p>
      <h1>{page.title[lang]}</h1>
      {first && form.sensitive && <Notice><p>{t.form.safety}</p><p>{t.formsMore.safetyKeys}</p></Notice>}
      <PageForm ctx={ctx} action={action} form={form} preview={preview !== undefined}>
        <input type="hidden" name="_state" value={state} />
        <input type="hidden" name="_page" value={page.id} />
        {page.questions.filter(shown).map((item, index) =>
          isQuestion(item) && item.control === 'group' ? (
            <Group key={item.answer} ctx={ctx} question={item} value={answers[item.answer]} errors={errors} />
          ) : isQuestion(item) ? (
            <Control key={item.answer} ctx={ctx} question={item} value={answers[item.answer]} error={errors.find((e) => e.answer === item.answer)?.message}
              allowRatherNotSay={JSON.stringify(form.answers.properties[item.answer] ?? {}).includes('ratherNotSay')} />
          ) : (
            <Notice key={index} kind={item.style === 'emergency' || item.style === 'warning' ? 'alert' : 'info'}><p>{item.content[lang]}</p></Notice>
          ),
        )}
        {preview === undefined && <div class="actions">
          <button type="submit" name="_go" value="next" class="hds-button hds-button--primary">{t.form.continueButton}</button>
          {!first && <button type="submit" name="_go" value="back" class="hds-button hds-button--secondary">{t.form.backButton}</button>}
          {drafts && <button type="submit" name="_go" value="save" class="hds-button hds-button--supplementary">{t.formsMore.saveButton}</button>}
        </div>}
      </PageForm>
    </FormLayout>
  );
}

/** The answer as the sender chose it: option labels, yes/no, the municipality's name. */
function shownAnswer(ctx: PageContext, question: Question, value: unknown): string {
  const { lang, t } = ctx;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) return t.form.notAnswered;
  if (typeof value === 'boolean') return value ? t.form.yes : t.form.no;
  const label = (v: unknown) => question.options?.find((o) => String(o.value) === String(v))?.label[lang]
    ?? (question.control === 'municipality' ? (v === 'ratherNotSay' ? t.form.ratherNotSay : MUNICIPALITIES.find((m) => m.code === v)?.name[lang === 'sv' ? 'sv' : 'fi']) : undefined)
    ?? String(v);
  return Array.isArray(value) ? value.map(label).join(', ') : label(value);
}

/** A repeatable group's items on the check page: each item's answers in a list. */
function GroupAnswer({ ctx, question, value }: { ctx: PageContext; question: Question; value: unknown }) {
  const items = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  if (!items.length) return <>{ctx.t.form.notAnswered}</>;
  const itemLabel = (question.itemLabel ?? question.label)[ctx.lang];
  return (
    <ul class="group-list">
      {items.map((item, index) => (
        <li key={index}>
          <strong>{itemLabel} {index + 1}:</strong>{' '}
          {(question.questions ?? []).map((nested) => `${nested.label[ctx.lang]}: ${shownAnswer(ctx, nested, item?.[nested.answer])}`).join('; ')}
        </li>
      ))}
    </ul>
  );
}

/** Check your answers: every visible question with a change button, then Send. */
export function CheckPage({ ctx, form, questions, answers, state, action, lastPage }: {
  ctx: PageContext; form: FormDefinition; questions: { pageId: string; question: Question }[]; answers: Answers; state: string; action: string; lastPage: string;
}) {
  const { lang, t } = ctx;
  return (
    <FormLayout ctx={ctx} form={form} title={`${t.form.checkTitle} – ${form.title[lang]}`} answersForm>
      <h1>{t.form.checkTitle}</h1>
      <p>{t.form.checkLead}</p>
      <PostForm ctx={ctx} action={action} id={ANSWERS_FORM} autocomplete={form.sensitive ? 'off' : undefined}>
        <input type="hidden" name="_state" value={state} />
        <input type="hidden" name="_page" value="_check" />
        <input type="hidden" name="_last" value={lastPage} />
        <SummaryList
          rows={questions.map(({ pageId, question }) => [
            question.label[lang],
            <>
              {question.control === 'group' ? <GroupAnswer ctx={ctx} question={question} value={answers[question.answer]} /> : shownAnswer(ctx, question, answers[question.answer])}{' '}
              <button type="submit" name="_go" value={`page:${pageId}`} class="link-button">
                {t.form.change}<span class="visually-hidden">: {question.label[lang]}</span>
              </button>
            </>,
          ])}
        />
        <div class="actions">
          <button type="submit" name="_go" value="send" class="hds-button hds-button--primary">{t.form.send}</button>
        </div>
      </PostForm>
    </FormLayout>
  );
}

/** The confirmation: reference, the receipt code (shown once) with advice, the form's notice to senders. */
/**
 * The confirmation. Its language buttons post the reference and the receipt
 * code (never in an address) to `/lomake/{id}/lahetetty`, which shows this
 * page again in that language: the code, shown only here, is not lost.
 */
export function SentPage({ ctx, form, receipt }: { ctx: PageContext; form: FormDefinition; receipt: Pick<SubmissionReceipt, 'reference' | 'receiptCode' | 'senderNotice'> }) {
  const { t } = ctx;
  return (
    <FormLayout ctx={ctx} form={form} title={t.form.sentTitle} answersForm>
      <PostForm ctx={ctx} action={`/lomake/${form.id}/lahetetty`} id={ANSWERS_FORM}>
        <input type="hidden" name="reference" value={receipt.reference} />
        <input type="hidden" name="receiptCode" value={receipt.receiptCode} />
      </PostForm>
      <div class="panel">
        <h1>{t.form.sentTitle}</h1>
        <p>{t.form.reference}</p>
        <p class="reference">{receipt.reference}</p>
      </div>
      <h2>{t.form.receiptCode}</h2>
      <p class="reference">{receipt.receiptCode}</p>
      <p>{t.form.receiptAdvice}</p>
      {receipt.senderNotice && <Notice><p>{receipt.senderNotice}</p></Notice>}
      <PrintButton ctx={ctx} />
    </FormLayout>
  );
}

/**
 * Printing the confirmation: a button where script runs (shown by the page
 * script, as printing needs it), and the keys to press for everyone else.
 */
export function PrintButton({ ctx }: { ctx: PageContext }) {
  return (
    <>
      <p class="no-print">
        <button type="button" class="hds-button hds-button--secondary print-button" data-print hidden>{ctx.t.formsMore.printButton}</button>
      </p>
      <p class="no-print">{ctx.t.form.print}: Ctrl+P / ⌘P</p>
    </>
  );
}
