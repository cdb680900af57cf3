import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccessLogExportQuery, AccessLogQuery, AccessLogService, MeasuresQuery } from '@app/delivery';
import { StaffService, UnitsService } from '@app/identity';
import { OutboxService } from '@app/notifications';
import { AppConfig, DomainError, Envelope } from '@app/platform';
import { renderError } from '../../http/error.filter';
import { sendCsv } from '../../http/send-csv';
import { MeasuresService, measuresCsv } from '../../measures.service';
import { redirectTo, sendPage } from '../render';
import { StaffPageKit, formBody, queryOf } from '../staff/staff-kit';
import { AccessLogPage, OutboxPage, type SettingsView, SettingsPage } from './admin-views';
import { MeasuresPage } from './measures-view';

const MEASURES_FIELDS: (keyof MeasuresQuery & string)[] = ['unit', 'from', 'to'];

/**
 * The administrators' pages: measures (tables and server-drawn charts, and
 * the CSV), the access log and its per-submission export, the outbox's
 * failed messages with retry, and the settings. Every page asks for the
 * admin role; every change is a checked form post.
 */
@Injectable()
export class AdminPages {
  private readonly version = productVersion();

  constructor(
    private readonly kit: StaffPageKit,
    private readonly measures: MeasuresService,
    private readonly accessLog: AccessLogService,
    private readonly outbox: OutboxService,
    private readonly units: UnitsService,
    private readonly staff: StaffService,
    private readonly config: AppConfig,
    private readonly envelope: Envelope,
  ) {}

  async measuresPage(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    const query = await queryOf(MeasuresQuery, req.query, MEASURES_FIELDS);
    const found = await this.measures.measures(ctx.caller!.auth, query, ctx.lang);
    const units = (await this.units.list()).map((u) => ({ id: u.id, name: u.name[ctx.lang] }));
    const csvQuery = new URLSearchParams(Object.entries(query).filter(([, v]) => typeof v === 'string') as [string, string][]);
    const csvHref = `/admin/measures/csv${csvQuery.size ? `?${csvQuery.toString()}` : ''}`;
    sendPage(res, <MeasuresPage ctx={ctx} measures={found} filters={query} units={units} csvHref={csvHref} />);
  }

  /** The same CSV as the API's `GET /api/v1/admin/measures` with `Accept: text/csv`, for a plain link. */
  async measuresCsv(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    const query = await queryOf(MeasuresQuery, req.query, MEASURES_FIELDS);
    sendCsv(res, measuresCsv(await this.measures.measures(ctx.caller!.auth, query, ctx.lang)));
  }

  async accessLogPage(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    const staff = (await this.staff.list()).map((s) => ({ id: s.id, name: s.name }));
    const raw = Object.fromEntries(['submission', 'staff', 'from', 'to'].map((k) => [k, typeof req.query[k] === 'string' ? (req.query[k] as string).trim() : undefined]));
    let query: AccessLogQuery;
    let error: string | undefined;
    try {
      query = await queryOf(AccessLogQuery, { ...req.query, ...raw }, ['submission', 'staff', 'from', 'to', 'offset']);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== 'validation_failed') throw e;
      // The filters as typed, with the message; no rows until they are right.
      error = renderError(e, ctx.lang).message;
      query = {};
    }
    const page = error ? { items: [], total: 0, limit: 50, offset: 0 } : await this.accessLog.list(ctx.caller!.auth, { ...query, limit: 50 });
    sendPage(res, <AccessLogPage ctx={ctx} page={page} filters={raw} staff={staff} error={error} />, error ? 422 : 200);
  }

  /** One submission's whole access log as a JSON download; the export itself is logged. A form post, so no other site can cause it. */
  async exportAccessLog(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    const { submission } = await formBody(AccessLogExportQuery, req.body, ['submission']);
    const found = await this.accessLog.export(ctx.caller!.auth, submission);
    res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="access-log-${found.submission.reference}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify(found, null, 2));
  }

  async outboxPage(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    const notice = req.query.done === 'retried' ? ctx.s.outbox.retried : undefined;
    sendPage(res, <OutboxPage ctx={ctx} failed={await this.outbox.list('failed')} notice={notice} />);
  }

  async retry(req: Request, res: Response, id: string): Promise<void> {
    const ctx = await this.kit.posted(req, res, 'admin');
    if (!ctx) return;
    await this.outbox.retry(id);
    redirectTo(res, '/admin/outbox?done=retried');
  }

  async settingsPage(req: Request, res: Response): Promise<void> {
    const ctx = await this.kit.signedIn(req, res, 'admin');
    if (!ctx) return;
    sendPage(res, <SettingsPage ctx={ctx} settings={this.settings()} />);
  }

  private settings(): SettingsView {
    return {
      version: this.version,
      embeddedDatabase: !this.config.databaseUrl,
      smtpServer: smtpServer(this.config.smtpUrl),
      mailFrom: this.config.mailFrom,
      keyId: this.envelope.currentKeyId,
      publicUrl: this.config.publicUrl,
      sessionMinutes: this.config.sessionTtlMinutes,
      idleMinutes: this.config.staffIdleMinutes,
    };
  }
}

/** `smtps://user:secret@mail.example.fi:465` → `mail.example.fi:465` (the user and password never shown). */
export function smtpServer(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  } catch {
    return '?';
  }
}

/** The product's version: from the nearest package.json above this file (the source tree or the built one). */
function productVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
      if (typeof version === 'string') return version;
    }
    if (dirname(dir) === dir) return '?';
  }
}
