import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type FormDefinition, FormDefinitionsService, type FormVersionSummary } from '@app/forms';
import { DomainError } from '@app/platform';
import { renderError } from '../../http/error.filter';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../http/json-depth';
import { FormPage } from '../citizen/form-pages';
import { redirectTo, sendPage } from '../render';
import { StaffPageKit, field } from '../staff/staff-kit';
import type { StaffPageContext } from '../staff/staff-layout';
import { DefinitionSource, type SourceFinding } from './definition-source';
import { ConfirmPage, FindingsPage, FormsListPage, PreviewBanner, UPLOAD_LIMIT_BYTES, UploadMissingPage, VersionPage, versionPath } from './forms-views';

/** The upload's multipart limits: one file of at most the API's size for a definition, and the few fields of the form. */
export const FORM_UPLOAD = { limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 4, parts: 5, fieldSize: UPLOAD_LIMIT_BYTES } };

const DONE: Record<string, 'uploaded' | 'published' | 'retired'> = { uploaded: 'uploaded', published: 'published', retired: 'retired' };

/**
 * Form authoring for admins: the forms and their versions, an upload linted
 * with its findings shown at the lines of the file, a preview of every page
 * with the citizens' own renderer (nothing to send), publish and retire.
 * The same service and rules as the API (`/api/v1/admin/forms`).
 */
@Injectable()
export class AdminFormsPages {
  constructor(
    private readonly kit: StaffPageKit,
    private readonly definitions: FormDefinitionsService,
  ) {}

  async list(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    sendPage(res, <FormsListPage ctx={ctx} versions={await this.definitions.list()} />);
  }

  /**
   * An uploaded definition (a file, or the text pasted): parsed, then
   * uploaded as a draft by the API's service; refused, the findings at the
   * lines of the text, and nothing stored.
   */
  async upload(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    const file = (req as Request & { file?: { buffer: Buffer } }).file;
    const raw = file?.buffer.length ? file.buffer.toString('utf8') : field(req.body, 'source') ?? '';
    const text = raw.replace(/^\uFEFF/, '');
    if (!text.trim()) return sendPage(res, <UploadMissingPage ctx={ctx} />, 422);
    const source = new DefinitionSource(text);
    const refused = (findings: SourceFinding[]) => sendPage(res, <FindingsPage ctx={ctx} source={source} findings={findings} />, 422);
    if (nestsDeeperThan(Buffer.from(text), MAX_JSON_DEPTH)) {
      return refused([{ line: 1, pointer: '', rule: 'json', message: renderError(new DomainError('json_too_deep', { maxDepth: MAX_JSON_DEPTH }), ctx.lang).message, severity: 'error' }]);
    }
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch (error) {
      const { line, message } = source.syntaxError((error as Error).message);
      return refused([{ line, pointer: '', rule: 'json', message, severity: 'error' }]);
    }
    let saved: FormVersionSummary;
    try {
      saved = await this.definitions.upload(definition);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return refused(this.findings(ctx, source, error));
    }
    redirectTo(res, `${versionPath(saved)}?done=uploaded`);
  }

  /** A refusal of the service as findings at lines: the linter's, a field's, or the whole version's (it exists already). */
  private findings(ctx: StaffPageContext, source: DefinitionSource, error: DomainError): SourceFinding[] {
    if (error.code === 'form_lint_failed') {
      // The linter may reach one fault by two paths: each finding once.
      const seen = new Set<string>();
      return error.fields.flatMap((f) => {
        const params = (f.params ?? {}) as { rule?: string; message?: string };
        const key = JSON.stringify([f.field, params.rule, params.message]);
        if (seen.has(key)) return [];
        seen.add(key);
        return [{ line: source.lineOfPointer(f.field), pointer: f.field, rule: params.rule ?? 'lint', message: params.message ?? '', severity: 'error' as const }];
      });
    }
    const rendered = renderError(error, ctx.lang);
    if (rendered.status >= 500 || rendered.status === 403) throw error;
    if (rendered.fields?.length) {
      return rendered.fields.map((f) => ({ line: source.lineOfPointer(f.field), pointer: f.field, rule: f.rule, message: f.message, severity: 'error' }));
    }
    const pointer = error.code === 'form_version_exists' ? '/version' : '';
    return [{ line: source.lineOfPointer(pointer), pointer, rule: error.code, message: rendered.message, severity: 'error' }];
  }

  async version(req: Request, res: Response, id: string, version: number): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    const { summary, definition } = await this.definitions.version(id, version);
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    const findings = summary.status === 'draft' ? await this.definitions.draftFindings(definition) : undefined;
    sendPage(res, <VersionPage ctx={ctx} summary={summary} definition={definition} notice={done && ctx.s.formsAdmin[done]} findings={findings} />);
  }

  /**
   * One page of any version as a citizen sees it, in the page's language
   * (the language switch keeps the page), by the citizens' renderer in its
   * preview mode: every question shown, no form, nothing to send.
   */
  async preview(req: Request, res: Response, id: string, version: number): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    const { summary, definition } = await this.definitions.version(id, version);
    const pages = definition.pages;
    const index = Math.max(0, pages.findIndex((p) => p.id === req.query.page));
    const banner = <PreviewBanner ctx={ctx} summary={summary} pages={pages} current={index} />;
    sendPage(res, (
      <FormPage ctx={ctx} form={definition} page={pages[index]} shown={() => true} answers={{}} errors={[]} state="" step={index + 1} steps={pages.length}
        first={index === 0} action={versionPath(summary)} drafts={false} preview={banner} />
    ));
  }

  publish(req: Request, res: Response, id: string, version: number): Promise<void> {
    return this.change(req, res, id, version, 'publish');
  }

  retire(req: Request, res: Response, id: string, version: number): Promise<void> {
    return this.change(req, res, id, version, 'retire');
  }

  /** Publish or retire: first the confirmation, then (confirmed) the API's transition; a refusal is shown on the version's page. */
  private async change(req: Request, res: Response, id: string, version: number, action: 'publish' | 'retire'): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    const { summary, definition } = await this.definitions.version(id, version);
    if (field(req.body, 'confirm') !== 'yes') {
      const allowed = action === 'publish' ? summary.status === 'draft' : summary.status === 'published';
      if (!allowed) return this.refuse(res, ctx, summary, definition, action);
      return sendPage(res, <ConfirmPage ctx={ctx} summary={summary} action={action} />);
    }
    try {
      await (action === 'publish' ? this.definitions.publish(id, version) : this.definitions.retire(id, version));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'form_not_draft') return this.refuse(res, ctx, summary, definition, action);
      throw error;
    }
    redirectTo(res, `${versionPath(summary)}?done=${action === 'publish' ? 'published' : 'retired'}`);
  }

  /** The API's `form_not_draft` (409), in words that fit the action. */
  private refuse(res: Response, ctx: StaffPageContext, summary: FormVersionSummary, definition: FormDefinition, action: 'publish' | 'retire'): void {
    const message = action === 'publish' ? ctx.s.formsAdmin.draftOnly : ctx.s.formsAdmin.publishedOnly;
    sendPage(res, <VersionPage ctx={ctx} summary={summary} definition={definition} error={message} />, 409);
  }
}
