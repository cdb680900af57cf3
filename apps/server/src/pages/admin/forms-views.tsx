import type { FormDefinition, FormStatus, FormVersionSummary, LintIssue, Page } from '@app/forms';
import { LANGUAGES, interpolate } from '@app/platform';
import { ErrorSummary, Notice, PostForm, SummaryList } from '../components/ui';
import { formatDateTime } from '../format';
import { CSRF_FIELD } from '../page-context';
import { StaffLayout, type StaffPageContext } from '../staff/staff-layout';
import type { DefinitionSource, SourceFinding } from './definition-source';

export const FORMS_PATH = '/admin/forms';
/** The size an uploaded definition may have, as the API's body limit for one. */
export const UPLOAD_LIMIT_BYTES = 512 * 1024;

export function versionPath(summary: { id: string; version: number }): string {
  return `${FORMS_PATH}/${summary.id}/${summary.version}`;
}

function StatusTag({ ctx, status }: { ctx: StaffPageContext; status: FormStatus }) {
  return <span class={`tag${status === 'published' ? ' tag--ok' : ''}`} data-status={status}>{ctx.s.formsAdmin.statuses[status]}</span>;
}

/** Every form with its versions and their status, and the upload. */
export function FormsListPage({ ctx, versions }: { ctx: StaffPageContext; versions: FormVersionSummary[] }) {
  const f = ctx.s.formsAdmin;
  const forms = [...new Set(versions.map((v) => v.id))];
  return (
    <StaffLayout ctx={ctx} title={f.title} section="forms">
      <h1>{f.title}</h1>
      <p>{f.lead}</p>
      {forms.length === 0 && <p>{f.empty}</p>}
      {forms.map((id) => {
        const rows = versions.filter((v) => v.id === id);
        const title = rows[rows.length - 1].title[ctx.lang];
        return (
          <section key={id} data-form={id}>
            <h2>{title} <span class="form-id">({id})</span></h2>
            <div class="table-wrap" tabIndex={0} role="region" aria-label={title}>
              <table class="data">
                <caption class="visually-hidden">{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{f.version}</th><th scope="col">{f.status}</th><th scope="col">{f.created}</th>
                    <th scope="col">{f.publishedAt}</th><th scope="col">{f.retiredAt}</th><th scope="col">{f.source}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((v) => (
                    <tr key={v.version} data-version={v.version}>
                      <th scope="row"><a href={versionPath(v)}>{interpolate(f.openVersion, { version: v.version })}</a></th>
                      <td><StatusTag ctx={ctx} status={v.status} /></td>
                      <td>{formatDateTime(v.createdAt, ctx.lang)}</td>
                      <td>{v.publishedAt ? formatDateTime(v.publishedAt, ctx.lang) : ctx.s.common.none}</td>
                      <td>{v.retiredAt ? formatDateTime(v.retiredAt, ctx.lang) : ctx.s.common.none}</td>
                      <td>{f.sources[v.source]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
      <UploadForm ctx={ctx} />
    </StaffLayout>
  );
}

/** The upload: a file, or the text pasted (multipart, with the form token). */
function UploadForm({ ctx, text, error }: { ctx: StaffPageContext; text?: string; error?: string }) {
  const f = ctx.s.formsAdmin;
  return (
    <section aria-labelledby="upload-title">
      <h2 id="upload-title">{f.uploadTitle}</h2>
      <p>{f.uploadLead}</p>
      <form method="post" action={FORMS_PATH} encType="multipart/form-data" noValidate>
        <input type="hidden" name={CSRF_FIELD} value={ctx.csrf} />
        <div class={`field${error ? ' field--error' : ''}`}>
          <label for="definition-file">{f.file}</label>
          <p class="hint" id="definition-file-hint">{f.fileHint}</p>
          {error && <p class="error-text" id="definition-file-error">{error}</p>}
          <input type="file" id="definition-file" name="file" accept=".json,application/json"
            aria-describedby={`definition-file-hint${error ? ' definition-file-error' : ''}`} />
        </div>
        <div class="field">
          <label for="definition-text">{f.paste}</label>
          <textarea id="definition-text" name="source" rows={text ? 16 : 6} spellcheck={false} class="code">{text ?? ''}</textarea>
        </div>
        <button type="submit" class="hds-button hds-button--primary"><span class="hds-button__label">{f.upload}</span></button>
      </form>
    </section>
  );
}

/** Lines of the file shown before and after a finding's line. */
const CONTEXT_LINES = 3;

/**
 * An upload refused: the summary on top links to each finding; each finding
 * follows its line of the file, among the lines around it; the whole file
 * with its line numbers after that.
 */
export function FindingsPage({ ctx, source, findings }: { ctx: StaffPageContext; source: DefinitionSource; findings: SourceFinding[] }) {
  const f = ctx.s.formsAdmin;
  const byLine = new Map<number, { finding: SourceFinding; index: number }[]>();
  findings.forEach((finding, index) => byLine.set(finding.line, [...(byLine.get(finding.line) ?? []), { finding, index }]));
  const worded = (finding: SourceFinding) => `[${finding.rule}] ${finding.message}${finding.pointer && finding.pointer !== '/' ? ` (${finding.pointer})` : ''}`;
  const errors = findings.filter((x) => x.severity === 'error').length;
  // The lines around each finding; the rest of the file is one text below (a long file stays light for the browser).
  const shown = [...new Set([...byLine.keys()].flatMap((line) => Array.from({ length: 2 * CONTEXT_LINES + 1 }, (_, i) => line - CONTEXT_LINES + i)))]
    .filter((line) => line >= 1 && line <= source.lines.length)
    .sort((a, b) => a - b);
  const width = String(source.lines.length).length;
  return (
    <StaffLayout ctx={ctx} title={f.uploadTitle} section="forms" hasErrors>
      <p><a href={FORMS_PATH}>{f.back}</a></p>
      <ErrorSummary title={f.findingsTitle} errors={findings.map((finding, index) => ({ id: `finding-${index}`, message: interpolate(f.lineFinding, { line: finding.line, message: worded(finding) }) }))} />
      <h1>{f.uploadTitle}</h1>
      <p>{f.findingsLead}</p>
      <section aria-labelledby="source-title">
        <h2 id="source-title">{f.fileTitle}</h2>
        <p>{interpolate(f.findingsCount, { errors, warnings: findings.length - errors })}</p>
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="source-title">
          <table class="source">
            <thead class="visually-hidden"><tr><th scope="col">{f.lineNumber}</th><th scope="col">{f.file}</th></tr></thead>
            <tbody>
              {shown.map((line, i) => {
                const here = byLine.get(line) ?? [];
                const gap = line - (i === 0 ? 0 : shown[i - 1]) > 1;
                return [
                  gap && (
                    <tr key={`gap${line}`} class="source__gap">
                      <td colSpan={2}>{interpolate(f.skipped, { from: i === 0 ? 1 : shown[i - 1] + 1, to: line - 1 })}</td>
                    </tr>
                  ),
                  <tr key={line} id={`line-${line}`} class={here.length ? 'source__line source__line--finding' : 'source__line'}>
                    <th scope="row">{line}</th>
                    <td><code>{source.lines[line - 1]}</code></td>
                  </tr>,
                  ...here.map(({ finding, index }) => (
                    <tr key={`f${index}`} class="source__finding" data-line={line}>
                      <td />
                      <td>
                        <p id={`finding-${index}`} tabIndex={-1} class={`finding finding--${finding.severity}`}>
                          <strong>{finding.severity === 'error' ? f.error : f.warning}: </strong>{worded(finding)}
                        </p>
                      </td>
                    </tr>
                  )),
                ];
              })}
              {shown[shown.length - 1] < source.lines.length && (
                <tr class="source__gap"><td colSpan={2}>{interpolate(f.skipped, { from: shown[shown.length - 1] + 1, to: source.lines.length })}</td></tr>
              )}
            </tbody>
          </table>
        </div>
        <details class="source-file">
          <summary>{f.wholeFile}</summary>
          <pre class="source-file__text" tabIndex={0}>{source.lines.map((text, i) => `${String(i + 1).padStart(width)}  ${text}`).join('\n')}</pre>
        </details>
      </section>
      <UploadForm ctx={ctx} text={source.text} />
    </StaffLayout>
  );
}

/** The upload form alone, with a message (nothing was chosen). */
export function UploadMissingPage({ ctx }: { ctx: StaffPageContext }) {
  const f = ctx.s.formsAdmin;
  return (
    <StaffLayout ctx={ctx} title={f.uploadTitle} section="forms" hasErrors>
      <p><a href={FORMS_PATH}>{f.back}</a></p>
      <ErrorSummary title={f.findingsTitle} errors={[{ id: 'definition-file', message: f.nothingUploaded }]} />
      <UploadForm ctx={ctx} error={f.nothingUploaded} />
    </StaffLayout>
  );
}

/** One version: its facts, its pages with their previews in each language, and what can be done with it. */
export function VersionPage({ ctx, summary, definition, notice, error, findings }: {
  ctx: StaffPageContext; summary: FormVersionSummary; definition: FormDefinition; notice?: string; error?: string;
  /** A draft's: what the linter says of it now (see FormDefinitionsService.draftFindings). */
  findings?: LintIssue[];
}) {
  const f = ctx.s.formsAdmin;
  const base = versionPath(summary);
  const title = interpolate(f.versionTitle, { title: summary.title[ctx.lang], version: summary.version });
  return (
    <StaffLayout ctx={ctx} title={title} section="forms" hasErrors={!!error}>
      <p><a href={FORMS_PATH}>{f.back}</a></p>
      <h1>{title}</h1>
      {notice && <Notice kind="success"><p>{notice}</p></Notice>}
      {error && <Notice kind="alert"><p>{error}</p></Notice>}
      <SummaryList rows={[
        [f.status, <StatusTag ctx={ctx} status={summary.status} />],
        [f.form, summary.id],
        [f.purpose, summary.purpose],
        [f.created, formatDateTime(summary.createdAt, ctx.lang)],
        [f.publishedAt, summary.publishedAt ? formatDateTime(summary.publishedAt, ctx.lang) : ctx.s.common.none],
        [f.retiredAt, summary.retiredAt ? formatDateTime(summary.retiredAt, ctx.lang) : ctx.s.common.none],
        [f.source, f.sources[summary.source]],
      ]} />
      {findings && (
        <section aria-labelledby="draft-findings">
          <h2 id="draft-findings">{f.draftFindings}</h2>
          {findings.length ? (
            <ul class="findings">
              {findings.map((finding, index) => (
                <li key={index}><strong>{finding.severity === 'error' ? f.error : f.warning}: </strong>{finding.message} (<code>{finding.pointer || '/'}</code>)</li>
              ))}
            </ul>
          ) : <p>{f.draftNoFindings}</p>}
        </section>
      )}
      <h2>{f.preview}</h2>
      <p>{f.previewLead}</p>
      <ul class="preview-links">
        {LANGUAGES.map((lang) => <li key={lang}><a href={`${base}/preview?lang=${lang}`}>{f.previewIn[lang]}</a></li>)}
      </ul>
      <h2>{f.pages}</h2>
      <ol>
        {definition.pages.map((page) => (
          <li key={page.id}>
            <a href={`${base}/preview?${new URLSearchParams({ page: page.id })}`}>{page.title[ctx.lang]}</a>
            {page.showIf !== undefined && <> ({f.conditional})</>}
          </li>
        ))}
      </ol>
      <h2>{f.actions}</h2>
      {summary.status === 'draft' && (
        <PostForm ctx={ctx} action={`${base}/publish`}>
          <button type="submit" class="hds-button hds-button--primary"><span class="hds-button__label">{f.publish}</span></button>
        </PostForm>
      )}
      {summary.status === 'published' && (
        <PostForm ctx={ctx} action={`${base}/retire`}>
          <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{f.retire}</span></button>
        </PostForm>
      )}
      {summary.status === 'retired' && <p>{f.statuses.retired}</p>}
    </StaffLayout>
  );
}

/** Are you sure: publishing makes a version permanent and public; retiring ends it for citizens. */
export function ConfirmPage({ ctx, summary, action }: { ctx: StaffPageContext; summary: FormVersionSummary; action: 'publish' | 'retire' }) {
  const f = ctx.s.formsAdmin;
  const values = { title: summary.title[ctx.lang], version: summary.version };
  const title = interpolate(action === 'publish' ? f.publishConfirmTitle : f.retireConfirmTitle, values);
  return (
    <StaffLayout ctx={ctx} title={title} section="forms">
      <h1>{title}</h1>
      <Notice kind="alert"><p>{action === 'publish' ? f.publishConfirmText : f.retireConfirmText}</p></Notice>
      <PostForm ctx={ctx} action={`${versionPath(summary)}/${action}`}>
        <input type="hidden" name="confirm" value="yes" />
        <div class="actions">
          <button type="submit" class={`hds-button ${action === 'publish' ? 'hds-button--primary' : 'hds-button--secondary'}`}>
            <span class="hds-button__label">{action === 'publish' ? f.confirmPublish : f.confirmRetire}</span>
          </button>
          <a href={versionPath(summary)}>{f.cancel}</a>
        </div>
      </PostForm>
    </StaffLayout>
  );
}

/** On top of a previewed page: what this is, that nothing can be sent, and every page of the form. */
export function PreviewBanner({ ctx, summary, pages, current }: { ctx: StaffPageContext; summary: FormVersionSummary; pages: Page[]; current: number }) {
  const f = ctx.s.formsAdmin;
  const base = versionPath(summary);
  const href = (page: Page) => `${base}/preview?${new URLSearchParams({ page: page.id, lang: ctx.lang })}`;
  return (
    <div class="preview-banner" role="region" aria-label={f.preview}>
      <p><strong>{interpolate(f.previewBanner, { title: summary.title[ctx.lang], version: summary.version, status: f.statuses[summary.status] })}</strong></p>
      <p>{f.previewAll}</p>
      <nav aria-label={f.previewPages}>
        <ol>
          {pages.map((page, i) => (
            <li key={page.id}>
              <a href={href(page)} aria-current={i === current ? 'page' : undefined}>{interpolate(f.previewPage, { n: i + 1, total: pages.length })}: {page.title[ctx.lang]}</a>
            </li>
          ))}
        </ol>
      </nav>
      <p class="preview-banner__links">
        {current > 0 && <a href={href(pages[current - 1])}>{f.previousPage}</a>}
        {current < pages.length - 1 && <a href={href(pages[current + 1])}>{f.nextPage}</a>}
        <a href={base}>{f.backToVersion}</a>
      </p>
    </div>
  );
}
