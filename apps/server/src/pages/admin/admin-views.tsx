import type { AccessLogRow, Paged } from '@app/delivery';
import type { OutboxEntryView } from '@app/notifications';
import { interpolate } from '@app/platform';
import { Notice, PostForm, SummaryList } from '../components/ui';
import { formatDateTime } from '../format';
import type { StaffTexts } from '../texts/staff';
import { StaffLayout, type StaffPageContext } from '../staff/staff-layout';

export interface AccessLogFilters {
  submission?: string;
  staff?: string;
  from?: string;
  to?: string;
}

const PURPOSE_KEY: Record<string, keyof StaffTexts['open']> = {
  handling: 'purposeHandling',
  'urgency-assessment': 'purposeUrgency-assessment',
  supervision: 'purposeSupervision',
  'data-subject-request': 'purposeData-subject-request',
  other: 'purposeOther',
};

/** The access log with its filters; filtered by one submission, the export of that submission's whole log. */
export function AccessLogPage({ ctx, page, filters, staff, error }: {
  ctx: StaffPageContext; page: Paged<AccessLogRow>; filters: AccessLogFilters; staff: { id: string; name: string }[]; error?: string;
}) {
  const a = ctx.s.accessLog;
  const c = ctx.s.common;
  const pageHref = (to: number) => `/admin/access-log?${new URLSearchParams({ ...ctx.query, offset: String(to) }).toString()}`;
  return (
    <StaffLayout ctx={ctx} title={a.title} section="access-log" hasErrors={!!error}>
      <h1>{a.title}</h1>
      <p>{a.lead}</p>
      {error && <Notice kind="alert"><p>{error}</p></Notice>}
      <form method="get" action="/admin/access-log" class="filters">
        <div class="field">
          <label for="submission">{a.submissionFilter}</label>
          <input type="text" id="submission" name="submission" value={filters.submission ?? ''} autoComplete="off" spellcheck={false} />
        </div>
        <div class="field">
          <label for="staff">{a.staffFilter}</label>
          <select id="staff" name="staff">
            <option value="">{c.all}</option>
            {staff.map((s) => <option key={s.id} value={s.id} selected={filters.staff === s.id}>{s.name}</option>)}
          </select>
        </div>
        <PeriodFilter ctx={ctx} filters={filters} />
        <a href="/admin/access-log">{c.clearFilters}</a>
      </form>
      {filters.submission && !error && (
        <PostForm ctx={ctx} action="/admin/access-log/export">
          <input type="hidden" name="submission" value={filters.submission} />
          <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{a.export}</span></button>
        </PostForm>
      )}
      <p>{interpolate(c.results, { count: page.total })}</p>
      {page.items.length === 0 ? <p>{a.empty}</p> : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={a.title}>
          <table class="data data--wide">
            <caption class="visually-hidden">{a.title}</caption>
            <thead>
              <tr>
                <th scope="col">{a.at}</th><th scope="col">{a.staff}</th><th scope="col">{a.unit}</th><th scope="col">{a.submission}</th>
                <th scope="col">{a.action}</th><th scope="col">{a.purpose}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((row) => (
                <tr key={row.id}>
                  <th scope="row">{formatDateTime(row.at, ctx.lang)}</th>
                  <td><a href={`/admin/access-log?staff=${row.staff.id}`}>{row.staff.name}</a></td>
                  <td>{row.unit ? (row.unit.name[ctx.lang] ?? row.unit.code) : c.none}</td>
                  <td><a href={`/admin/access-log?submission=${row.submission.id}`}>{row.submission.reference}</a></td>
                  <td>{a.actions[row.action]}</td>
                  <td>{ctx.s.open[PURPOSE_KEY[row.purpose]]}{row.purposeText ? `: ${row.purposeText}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        {page.offset > 0 && <a href={pageHref(Math.max(0, page.offset - page.limit))}>{c.previous}</a>}
        {page.offset + page.limit < page.total && <a href={pageHref(page.offset + page.limit)}>{c.next}</a>}
      </div>
    </StaffLayout>
  );
}

/** The outbox's failed messages, each with a retry button (a checked form post). */
export function OutboxPage({ ctx, failed, notice }: { ctx: StaffPageContext; failed: OutboxEntryView[]; notice?: string }) {
  const o = ctx.s.outbox;
  return (
    <StaffLayout ctx={ctx} title={o.title} section="outbox">
      <h1>{o.title}</h1>
      <p>{o.lead}</p>
      {notice && <Notice kind="success"><p>{notice}</p></Notice>}
      {failed.length === 0 ? <p>{o.empty}</p> : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={o.title}>
          <table class="data data--wide">
            <caption class="visually-hidden">{o.title}</caption>
            <thead>
              <tr>
                <th scope="col">{o.created}</th><th scope="col">{o.kind}</th><th scope="col">{o.recipient}</th><th scope="col" class="num">{o.attempts}</th>
                <th scope="col">{o.error}</th><td />
              </tr>
            </thead>
            <tbody>
              {failed.map((m) => (
                <tr key={m.id} data-id={m.id}>
                  <th scope="row">{formatDateTime(m.createdAt, ctx.lang)}</th>
                  <td>{m.kind}</td>
                  <td>{m.recipient ?? ctx.s.common.none}</td>
                  <td class="num">{m.attempts}</td>
                  <td>{m.lastError ?? ctx.s.common.none}</td>
                  <td class="nowrap">
                    <PostForm ctx={ctx} action={`/admin/outbox/${m.id}/retry`}>
                      <button type="submit" class="hds-button hds-button--secondary" aria-label={`${o.retry}: ${m.kind}, ${formatDateTime(m.createdAt, ctx.lang)}`}>
                        <span class="hds-button__label">{o.retry}</span>
                      </button>
                    </PostForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </StaffLayout>
  );
}

export interface SettingsView {
  version: string;
  embeddedDatabase: boolean;
  /** Where SMTP is used: the server's host and port only (never the user or the password). */
  smtpServer?: string;
  mailFrom: string;
  keyId: string;
  publicUrl: string;
  sessionMinutes: number;
  idleMinutes: number;
}

/** The service's settings, read only, nothing secret. */
export function SettingsPage({ ctx, settings }: { ctx: StaffPageContext; settings: SettingsView }) {
  const s = ctx.s.settings;
  return (
    <StaffLayout ctx={ctx} title={s.title} section="settings">
      <h1>{s.title}</h1>
      <p>{s.lead}</p>
      <SummaryList rows={[
        [s.version, settings.version],
        [s.database, settings.embeddedDatabase ? s.embedded : s.external],
        [s.mail, settings.smtpServer ? `${s.mailSmtp}: ${settings.smtpServer}` : s.mailFiles],
        [s.mailFrom, settings.mailFrom],
        [s.keyId, settings.keyId],
        [s.publicUrl, settings.publicUrl],
        [s.sessionMinutes, String(settings.sessionMinutes)],
        [s.idleMinutes, String(settings.idleMinutes)],
      ]} />
    </StaffLayout>
  );
}

/** The period of a filter form (from, to, both dates) and its submit button. */
export function PeriodFilter({ ctx, filters }: { ctx: StaffPageContext; filters: { from?: string; to?: string } }) {
  const c = ctx.s.common;
  return (
    <>
      <div class="field">
        <label for="from">{c.from}</label>
        <input type="date" id="from" name="from" value={filters.from ?? ''} />
      </div>
      <div class="field">
        <label for="to">{c.to}</label>
        <input type="date" id="to" name="to" value={filters.to ?? ''} />
      </div>
      <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{c.filter}</span></button>
    </>
  );
}
