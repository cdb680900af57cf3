import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, Clock, DomainError, type FieldError, type Lang, findNulCharacter, toHelsinkiIso } from '@app/platform';
import { type FormDefinition, type Page, type Texts, isQuestion, unitsOf } from './form-definition';
import { type LintIssue, FormLinter, META_SCHEMA_FILE, identityOf } from './form-linter';
import { type CompiledForm, FormCache, contentHash } from './form-runtime';

export type FormStatus = 'draft' | 'published' | 'retired';

export interface FormVersionSummary {
  id: string;
  version: number;
  status: FormStatus;
  purpose: string;
  title: Texts;
  source: 'file' | 'upload';
  createdAt: string;
  publishedAt: string | null;
  retiredAt: string | null;
}

function lintError(issues: LintIssue[]): DomainError {
  const fields: FieldError[] = issues
    .filter((i) => i.severity === 'error')
    .map((i) => ({ field: i.pointer, rule: 'lint', params: { rule: i.rule, message: i.message } }));
  return new DomainError('form_lint_failed', {}, fields);
}

export function formatIssues(issues: LintIssue[]): string {
  return issues.map((i) => `${i.file}#${i.pointer} [${i.rule}] ${i.severity}: ${i.message}`).join('\n');
}

/**
 * Form definitions and their versions. Shipped files are loaded at start; a
 * published version never changes: a changed file for a published version
 * stops the start. Admins upload drafts, preview, publish and retire.
 */
@Injectable()
export class FormDefinitionsService implements OnModuleInit {
  private readonly logger = new Logger(FormDefinitionsService.name);
  readonly cache = new FormCache();
  readonly linter: FormLinter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.linter = new FormLinter(this.cache, config.formsDir);
  }

  async onModuleInit(): Promise<void> {
    await this.loadShipped();
  }

  /**
   * Lints a definition file, or every definition file under a folder
   * (`<id>/<version>.json`; any other JSON file there is reported, as the
   * server would not load it), against the units that exist and each form's
   * last published version.
   */
  async lintPath(path: string): Promise<LintIssue[]> {
    const files = statSync(path).isDirectory()
      ? readdirSync(path, { withFileTypes: true }).flatMap((d) =>
          d.isDirectory()
            ? readdirSync(join(path, d.name)).filter((f) => f.endsWith('.json')).sort(byVersion).map((f) => join(path, d.name, f))
            : d.name.endsWith('.json') && d.name !== META_SCHEMA_FILE ? [join(path, d.name)] : [],
        )
      : [path];
    const knownUnits = await this.unitCodes();
    const issues: LintIssue[] = [];
    for (const file of files) {
      const previous = await this.previousOf(readJson(file));
      issues.push(...this.linter.lintFile(file, { knownUnits, previous }));
    }
    return issues;
  }

  /** The last published version before the one a definition names, when it names a well-formed id and version. */
  private async previousOf(definition: unknown): Promise<FormDefinition | undefined> {
    const { id, version } = identityOf(definition);
    return id !== undefined && version !== undefined ? this.latestPublishedBefore(id, version) : undefined;
  }

  /** Adds new shipped versions as published; refuses changed published ones. */
  async loadShipped(): Promise<number> {
    const dir = this.config.formsDir;
    if (!existsSync(dir)) return 0;
    const units = await this.unitCodes();
    let added = 0;
    for (const formId of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
      const files = readdirSync(join(dir, formId)).filter((f) => /^\d+\.json$/.test(f)).sort(byVersion);
      for (const name of files) {
        const file = join(dir, formId, name);
        const previous = await this.previousOf(readJson(file));
        const issues = this.linter.lintFile(file, { previous });
        if (issues.some((i) => i.severity === 'error')) throw new Error(`form definition ${file} does not pass the linter:\n${formatIssues(issues)}`);
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as FormDefinition;
        const unknownUnits = [...new Set(parsed.routing.flatMap(unitsOf))].filter((u) => !units.has(u));
        if (unknownUnits.length) this.logger.warn(`${file} routes to units that do not exist yet: ${unknownUnits.join(', ')}`);
        if (await this.insertOrVerify(parsed, 'file', file)) added++;
      }
    }
    if (added) this.logger.log(`loaded ${added} new form versions`);
    return added;
  }

  private async insertOrVerify(definition: FormDefinition, source: 'file' | 'upload', file: string): Promise<boolean> {
    const hash = contentHash(definition);
    const now = this.clock.now();
    const inserted = await this.db.query(
      `INSERT INTO form_definition (form_id, version, status, purpose, definition, content_hash, source, created_at, published_at)
       VALUES ($1, $2, 'published', $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING RETURNING version`,
      [definition.id, definition.version, definition.purpose, definition, hash, source, now],
    );
    if (inserted.length) return true;
    const [existing] = await this.db.query(`SELECT content_hash, status FROM form_definition WHERE form_id = $1 AND version = $2`, [definition.id, definition.version]);
    if (existing.content_hash !== hash) {
      throw new Error(
        `${file}: version ${definition.version} of form "${definition.id}" is already ${existing.status} with different content. ` +
          `Published versions never change: restore the file and put the change in version ${definition.version + 1}.`,
      );
    }
    return false;
  }

  /** Uploads a new version as a draft (or replaces a draft of the same version). */
  async upload(input: unknown): Promise<FormVersionSummary> {
    const definition = input as FormDefinition;
    // PostgreSQL stores no NUL character, in text or in jsonb.
    const nul = findNulCharacter(input);
    if (nul) throw new DomainError('validation_failed', {}, [{ field: nul, rule: 'textControl' }]);
    const issues = this.linter.lint(input, { file: 'upload', knownUnits: await this.unitCodes(), previous: await this.previousOf(input) });
    if (issues.some((i) => i.severity === 'error')) throw lintError(issues);
    const [existing] = await this.db.query(`SELECT status FROM form_definition WHERE form_id = $1 AND version = $2`, [definition.id, definition.version]);
    if (existing && existing.status !== 'draft') throw new DomainError('form_version_exists');
    await this.db.query(
      `INSERT INTO form_definition (form_id, version, status, purpose, definition, content_hash, source, created_at)
       VALUES ($1, $2, 'draft', $3, $4, $5, 'upload', $6)
       ON CONFLICT (form_id, version) DO UPDATE SET definition = EXCLUDED.definition, content_hash = EXCLUDED.content_hash,
         purpose = EXCLUDED.purpose, created_at = EXCLUDED.created_at
       WHERE form_definition.status = 'draft'`,
      [definition.id, definition.version, definition.purpose, definition, contentHash(definition), this.clock.now()],
    );
    return this.summary(definition.id, definition.version);
  }

  publish(formId: string, version: number): Promise<FormVersionSummary> {
    return this.transition(formId, version, 'draft', 'published');
  }

  retire(formId: string, version: number): Promise<FormVersionSummary> {
    return this.transition(formId, version, 'published', 'retired');
  }

  private async transition(formId: string, version: number, from: FormStatus, to: 'published' | 'retired'): Promise<FormVersionSummary> {
    const [rows] = await this.db.query(
      `UPDATE form_definition SET status = $4, ${to === 'published' ? 'published_at' : 'retired_at'} = $3
        WHERE form_id = $1 AND version = $2 AND status = $5 RETURNING version`,
      [formId, version, this.clock.now(), to, from],
    );
    if (!rows.length) throw await this.statusError(formId, version);
    return this.summary(formId, version);
  }

  async list(): Promise<FormVersionSummary[]> {
    const rows = await this.db.query(`SELECT * FROM form_definition ORDER BY form_id, version`);
    return rows.map(toSummary);
  }

  async summary(formId: string, version: number): Promise<FormVersionSummary> {
    const [row] = await this.db.query(`SELECT * FROM form_definition WHERE form_id = $1 AND version = $2`, [formId, version]);
    if (!row) throw new DomainError('not_found');
    return toSummary(row);
  }

  /** Any version with its status, for admins' preview. */
  async version(formId: string, version: number): Promise<{ summary: FormVersionSummary; definition: FormDefinition }> {
    const [row] = await this.db.query(`SELECT * FROM form_definition WHERE form_id = $1 AND version = $2`, [formId, version]);
    if (!row) throw new DomainError('not_found');
    return { summary: toSummary(row), definition: row.definition };
  }

  /**
   * What the linter says of a draft now, against the latest version published
   * before it (warnings such as an answer the new version drops; errors if
   * the routing's units changed since the upload): shown before publishing.
   */
  async draftFindings(draft: FormDefinition): Promise<LintIssue[]> {
    return this.linter.lint(draft, { file: 'draft', knownUnits: await this.unitCodes(), previous: await this.previousOf(draft) });
  }

  /**
   * The compiled published version citizens fill in: the newest one, or a
   * given one while it is still published. Definitions are read only when
   * not compiled yet.
   */
  async published(formId: string, version?: number): Promise<CompiledForm> {
    const [row] = await this.db.query(
      `SELECT version, content_hash FROM form_definition
        WHERE form_id = $1 AND status = 'published' AND ($2::int IS NULL OR version = $2)
        ORDER BY version DESC LIMIT 1`,
      [formId, version ?? null],
    );
    if (!row) throw new DomainError('form_not_published');
    return this.compiled(formId, row.version, row.content_hash);
  }

  /**
   * The exact version a submission was filled in, whatever its status now.
   * Inside a transaction, pass it (`tx`): the form is then read on the
   * transaction's connection instead of waiting for a second one.
   */
  async pinned(formId: string, version: number, tx?: EntityManager): Promise<CompiledForm> {
    const [row] = await (tx ?? this.db.manager).query(`SELECT content_hash FROM form_definition WHERE form_id = $1 AND version = $2`, [formId, version]);
    if (!row) throw new DomainError('not_found');
    return this.compiled(formId, version, row.content_hash, tx);
  }

  private async compiled(formId: string, version: number, hash: string, tx?: EntityManager): Promise<CompiledForm> {
    const cached = this.cache.peek(formId, version, hash);
    if (cached) return cached;
    const [row] = await (tx ?? this.db.manager).query(`SELECT definition FROM form_definition WHERE form_id = $1 AND version = $2`, [formId, version]);
    return this.cache.get(row.definition, hash);
  }

  private async latestPublishedBefore(formId: string, version: number): Promise<FormDefinition | undefined> {
    const [row] = await this.db.query(
      `SELECT definition FROM form_definition WHERE form_id = $1 AND version < $2 AND status IN ('published', 'retired') ORDER BY version DESC LIMIT 1`,
      [formId, version],
    );
    return row?.definition;
  }

  private async unitCodes(): Promise<Set<string>> {
    const rows: { code: string }[] = await this.db.query(`SELECT code FROM unit`);
    return new Set(rows.map((r) => r.code));
  }

  private async statusError(formId: string, version: number): Promise<DomainError> {
    const [row] = await this.db.query(`SELECT status FROM form_definition WHERE form_id = $1 AND version = $2`, [formId, version]);
    return row ? new DomainError('form_not_draft') : new DomainError('not_found');
  }
}

/** Version files in version order, then any other names. */
function byVersion(a: string, b: string): number {
  return (parseInt(a) || Infinity) - (parseInt(b) || Infinity) || a.localeCompare(b);
}

/** A file's JSON, or undefined when it does not parse (the linter reports that). */
function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function toSummary(row: Record<string, never>): FormVersionSummary {
  const definition = row.definition as FormDefinition;
  return {
    id: row.form_id,
    version: row.version,
    status: row.status,
    purpose: row.purpose,
    title: definition.title,
    source: row.source,
    createdAt: toHelsinkiIso(row.created_at),
    publishedAt: row.published_at && toHelsinkiIso(row.published_at),
    retiredAt: row.retired_at && toHelsinkiIso(row.retired_at),
  };
}

/** A form version with its texts in one language, for the public API and the pages. */
export function localize(definition: FormDefinition, lang: Lang) {
  const t = (texts: Texts | undefined) => texts?.[lang];
  const page = (p: Page) => ({
    id: p.id,
    title: t(p.title),
    ...(p.showIf !== undefined ? { showIf: p.showIf } : {}),
    questions: p.questions.map((item) =>
      isQuestion(item)
        ? {
            answer: item.answer,
            control: item.control,
            label: t(item.label),
            hint: t(item.hint),
            showIf: item.showIf,
            options: item.options?.map((o) => ({ value: o.value, label: t(o.label), hint: t(o.hint) })),
            itemLabel: t(item.itemLabel),
            questions: item.questions?.map((q) => ({ answer: q.answer, control: q.control, label: t(q.label), hint: t(q.hint), options: q.options?.map((o) => ({ value: o.value, label: t(o.label) })) })),
          }
        : { content: t(item.content), style: item.style ?? 'info', showIf: item.showIf },
    ),
  });
  return {
    id: definition.id,
    version: definition.version,
    language: lang,
    purpose: definition.purpose,
    title: t(definition.title),
    description: t(definition.description),
    sensitive: definition.sensitive ?? false,
    identification: definition.identification,
    answers: definition.answers,
    pages: definition.pages.map(page),
    handling: {
      firstResponseWorkingDays: definition.handling.firstResponseWorkingDays,
      decisionWorkingDays: definition.handling.decisionWorkingDays,
      senderNotice: t(definition.handling.senderNotice),
    },
  };
}
