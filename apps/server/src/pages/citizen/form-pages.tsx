import type { FormDefinition, Page, PageItem, Question, SubmissionReceipt } from '@app/forms';
import { MUNICIPALITIES } from '@app/forms';
import { COUNTIES, type Lang, interpolate } from '@app/platform';
import { Layout } from '../components/layout';
import { ErrorSummary, type FieldError, Notice, PostForm, SummaryList } from '../components/ui';
import type { PageContext } from '../page-context';

export type Answers = Record<string, unknown>;

/** The id of the control a question's error links to. */
export function controlId(question: Question): string {
  return ['radio', 'checkboxes', 'yesno'].includes(question.control) ? `q-${question.answer}-0` : `q-${question.answer}`;
}

const isQuestion = (item: PageItem): item is Question => 'answer' in item;

interface FormShell {
  ctx: PageContext;
  form: FormDefinition;
  title: string;
  hasErrors?: boolean;
  children: preact.ComponentChildren;
}

/** A form's frame: quick exit and a neutral title on sensitive forms, never indexed. */
function FormLayout({ ctx, form, title, hasErrors, children }: FormShell) {
  const sensitive = Boolean(form.sensitive);
  return (
    <Layout ctx={ctx} title={sensitive ? ctx.t.form.formTitleSensitive : title} noindex hasErrors={hasErrors} quickExit={sensitive}>
      {children}
    </Layout>
  );
}

function Options({ question, value, lang, type }: { question: Question; value: unknown; lang: Lang; type: 'radio' | 'checkbox' }) {
  const chosen = Array.isArray(value) ? value.map(String) : [String(value ?? '')];
  return (
    <>
      {(question.options ?? []).map((option, index) => (
        <div class={type === 'radio' ? 'hds-radio-button' : 'hds-checkbox'} key={option.value}>
          <input class={type === 'radio' ? 'hds-radio-button__input' : 'hds-checkbox__input'} type={type} id={`q-${question.answer}-${index}`}
            name={question.answer} value={String(option.value)} checked={chosen.includes(String(option.value))} />
          <label class={type === 'radio' ? 'hds-radio-button__label' : 'hds-checkbox__label'} for={`q-${question.answer}-${index}`}>{option.label[lang]}</label>
        </div>
      ))}
    </>
  );
}

/** One question as an HDS-styled control, with its hint and error. */
function Control({ ctx, question, value, error, allowRatherNotSay }: { ctx: PageContext; question: Question; value: unknown; error?: string; allowRatherNotSay: boolean }) {
  const { lang, t } = ctx;
  const id = `q-${question.answer}`;
  const described = [question.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const hint = question.hint && <p class="hint" id={`${id}-hint`}>{question.hint[lang]}</p>;
  const errorText = error && <p class="error-text" id={`${id}-error`}>{error}</p>;
  const field = `field${error ? ' field--error' : ''}`;
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  if (question.control === 'group') {
    return <div class={field}><p><strong>{question.label[lang]}</strong></p><p>{t.form.notSupported}</p></div>;
  }
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
          type={question.control === 'checkboxes' ? 'checkbox' : 'radio'} />
      </fieldset>
    );
  }
  let input;
  if (question.control === 'textarea') {
    input = <textarea id={id} name={question.answer} rows={6} aria-describedby={described} aria-invalid={error ? 'true' : undefined}>{text}</textarea>;
  } else if (question.control === 'municipality') {
    input = (
      <select id={id} name={question.answer} aria-describedby={described} aria-invalid={error ? 'true' : undefined}>
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
    input = <input type={type} id={id} name={question.answer} value={text} inputMode={inputMode} autoComplete={question.autocomplete}
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
  errors: (FieldError & { answer: string })[];
  state: string;
  step: number;
  steps: number;
  first: boolean;
  action: string;
  /** An admin's preview: this banner on top, and the questions with nothing to send them (no form, no buttons). */
  preview?: preact.ComponentChildren;
}

/** A page's form; in a preview, the questions only. */
function PageForm({ ctx, action, preview, children }: { ctx: PageContext; action: string; preview: boolean; children: preact.ComponentChildren }) {
  return preview ? <div class="form-preview">{children}</div> : <PostForm ctx={ctx} action={action}>{children}</PostForm>;
}

/** One page of a form: its questions, the error summary on top, Continue and Previous. */
export function FormPage({ ctx, form, page, shown, answers, errors, state, step, steps, first, action, preview }: FormPageProps) {
  const { lang, t } = ctx;
  const title = `${page.title[lang]} – ${form.title[lang]}`;
  return (
    <FormLayout ctx={ctx} form={form} title={title} hasErrors={errors.length > 0}>
      {preview}
      <ErrorSummary title={t.form.errorSummaryTitle} errors={errors} />
      <p>{form.title[lang]} · {interpolate(t.form.stepOf, { n: step, total: steps })}</p>
      <h1>{page.title[lang]}</h1>
      {first && form.sensitive && <Notice><p>{t.form.safety}</p></Notice>}
      <PageForm ctx={ctx} action={action} preview={preview !== undefined}>
        <input type="hidden" name="_state" value={state} />
        <input type="hidden" name="_page" value={page.id} />
        {page.questions.filter(shown).map((item, index) =>
          isQuestion(item) ? (
            <Control key={item.answer} ctx={ctx} question={item} value={answers[item.answer]} error={errors.find((e) => e.answer === item.answer)?.message}
              allowRatherNotSay={JSON.stringify(form.answers.properties[item.answer] ?? {}).includes('ratherNotSay')} />
          ) : (
            <Notice key={index} kind={item.style === 'emergency' || item.style === 'warning' ? 'alert' : 'info'}><p>{item.content[lang]}</p></Notice>
          ),
        )}
        {preview === undefined && <div class="actions">
          <button type="submit" name="_go" value="next" class="hds-button hds-button--primary">{t.form.continueButton}</button>
          {!first && <button type="submit" name="_go" value="back" class="hds-button hds-button--secondary">{t.form.backButton}</button>}
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

/** Check your answers: every visible question with a change button, then Send. */
export function CheckPage({ ctx, form, questions, answers, state, action, lastPage }: {
  ctx: PageContext; form: FormDefinition; questions: { pageId: string; question: Question }[]; answers: Answers; state: string; action: string; lastPage: string;
}) {
  const { lang, t } = ctx;
  return (
    <FormLayout ctx={ctx} form={form} title={`${t.form.checkTitle} – ${form.title[lang]}`}>
      <h1>{t.form.checkTitle}</h1>
      <p>{t.form.checkLead}</p>
      <PostForm ctx={ctx} action={action}>
        <input type="hidden" name="_state" value={state} />
        <input type="hidden" name="_page" value="_check" />
        <input type="hidden" name="_last" value={lastPage} />
        <SummaryList
          rows={questions.filter((q) => q.question.control !== 'group').map(({ pageId, question }) => [
            question.label[lang],
            <>
              {shownAnswer(ctx, question, answers[question.answer])}{' '}
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
export function SentPage({ ctx, form, receipt }: { ctx: PageContext; form: FormDefinition; receipt: SubmissionReceipt }) {
  const { t } = ctx;
  return (
    <FormLayout ctx={ctx} form={form} title={t.form.sentTitle}>
      <div class="panel">
        <h1>{t.form.sentTitle}</h1>
        <p>{t.form.reference}</p>
        <p class="reference">{receipt.reference}</p>
      </div>
      <h2>{t.form.receiptCode}</h2>
      <p class="reference">{receipt.receiptCode}</p>
      <p>{t.form.receiptAdvice}</p>
      {receipt.senderNotice && <Notice><p>{receipt.senderNotice}</p></Notice>}
      <p class="no-print">{t.form.print}: Ctrl+P / ⌘P</p>
    </FormLayout>
  );
}
