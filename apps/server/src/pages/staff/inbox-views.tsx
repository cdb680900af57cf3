import { ACCESS_PURPOSES, ASSESSMENT_RESULTS, CLOCK_LABELS, CONTACT_CHANNELS, DECISIONS, type InboxDetail, type Paged, type SubmissionMetadata } from '@app/delivery';
import { interpolate } from '@app/platform';
import { ErrorSummary, Notice, PostForm, SummaryList } from '../components/ui';
import { formatDateTime } from '../format';
import type { StaffTexts } from '../texts/staff';
import { StaffLayout, type StaffPageContext } from './staff-layout';

type Inbox = StaffTexts['inbox'];
const STATUS_KEY: Record<SubmissionMetadata['status'], keyof Inbox> = {
  received: 'statusReceived', acknowledged: 'statusAcknowledged', in_progress: 'statusInProgress', closed: 'statusClosed',
};

export function statusLabel(ctx: StaffPageContext, status: SubmissionMetadata['status']): string {
  return ctx.s.inbox[STATUS_KEY[status]] as string;
}

function Priority({ ctx, priority }: { ctx: StaffPageContext; priority: string }) {
  return priority === 'urgent' ? <span class="tag tag--urgent">{ctx.s.inbox.urgent}</span> : <span>{ctx.s.inbox.normal}</span>;
}

/** The next open deadline (or the last one met), in words. */
function Deadline({ ctx, item }: { ctx: StaffPageContext; item: SubmissionMetadata }) {
  const open = item.deadlines.find((d) => !d.met && d.dueAt);
  if (open) {
    return (
      <span>
        {open.label}: {interpolate(ctx.s.inbox.due, { at: formatDateTime(open.dueAt!, ctx.lang) })}
        {open.overdue && <> <span class="tag tag--overdue">{ctx.s.inbox.overdue}</span></>}
      </span>
    );
  }
  return <span>{ctx.s.common.none}</span>;
}

export interface InboxFilters {
  status?: string;
  priority?: string;
  overdue?: boolean;
  assignedToMe?: boolean;
  unit?: string;
  form?: string;
}

export function InboxListPage({ ctx, page, filters, units, forms, notice }: {
  ctx: StaffPageContext; page: Paged<SubmissionMetadata>; filters: InboxFilters; units: { id: string; name: string }[]; forms: { id: string; title: string }[]; notice?: string;
}) {
  const i = ctx.s.inbox;
  const c = ctx.s.common;
  const offset = page.offset;
  const pageHref = (to: number) => `/staff/inbox?${new URLSearchParams({ ...ctx.query, offset: String(to) }).toString()}`;
  return (
    <StaffLayout ctx={ctx} title={i.title} section="inbox">
      <h1>{i.title}</h1>
      {notice && <Notice kind="success"><p>{notice}</p></Notice>}
      <form method="get" action="/staff/inbox" class="filters">
        <div class="field">
          <label for="status">{i.status}</label>
          <select id="status" name="status">
            <option value="">{c.all}</option>
            {(['received', 'acknowledged', 'in_progress', 'closed'] as const).map((s) => <option value={s} selected={filters.status === s}>{statusLabel(ctx, s)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="priority">{i.priority}</label>
          <select id="priority" name="priority">
            <option value="">{c.all}</option>
            <option value="urgent" selected={filters.priority === 'urgent'}>{i.urgent}</option>
            <option value="normal" selected={filters.priority === 'normal'}>{i.normal}</option>
          </select>
        </div>
        <div class="field">
          <label for="form">{i.form}</label>
          <select id="form" name="form">
            <option value="">{c.all}</option>
            {forms.map((f) => <option key={f.id} value={f.id} selected={filters.form === f.id}>{f.title}</option>)}
          </select>
        </div>
        {units.length > 1 && (
          <div class="field">
            <label for="unit">{i.unit}</label>
            <select id="unit" name="unit">
              <option value="">{c.all}</option>
              {units.map((u) => <option value={u.id} selected={filters.unit === u.id}>{u.name}</option>)}
            </select>
          </div>
        )}
        <div class="check">
          <input type="checkbox" id="overdue" name="overdue" value="true" checked={filters.overdue === true} />
          <label for="overdue">{i.overdueOnly}</label>
        </div>
        <div class="check">
          <input type="checkbox" id="assignedToMe" name="assignedToMe" value="true" checked={filters.assignedToMe === true} />
          <label for="assignedToMe">{i.assignedToMe}</label>
        </div>
        <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{c.filter}</span></button>
        <a href="/staff/inbox">{c.clearFilters}</a>
      </form>
      <p>{interpolate(c.results, { count: page.total })}</p>
      {page.items.length === 0 ? <p>{i.empty}</p> : (
        <div class="table-wrap">
          <table class="data">
            <caption class="visually-hidden">{i.title}</caption>
            <thead>
              <tr>
                <th scope="col">{i.reference}</th><th scope="col">{i.form}</th><th scope="col">{i.priority}</th><th scope="col">{i.status}</th>
                <th scope="col">{i.received}</th><th scope="col">{i.deadline}</th><th scope="col">{i.assignee}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row"><a href={`/staff/inbox/${item.id}`}>{item.reference}</a></th>
                  <td>{item.form.title}</td>
                  <td><Priority ctx={ctx} priority={item.priority} /></td>
                  <td>{statusLabel(ctx, item.status)}</td>
                  <td>{formatDateTime(item.submittedAt, ctx.lang)}</td>
                  <td><Deadline ctx={ctx} item={item} /></td>
                  <td>{item.assignedTo?.name ?? i.unassigned}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        {offset > 0 && <a href={pageHref(Math.max(0, offset - page.limit))}>{c.previous}</a>}
        {offset + page.limit < page.total && <a href={pageHref(offset + page.limit)}>{c.next}</a>}
      </div>
    </StaffLayout>
  );
}

/** Before any content: why it is opened. Pre-selected "handling" for its assignee. */
export function PurposePage({ ctx, item, error }: { ctx: StaffPageContext; item: SubmissionMetadata; error?: string }) {
  const o = ctx.s.open;
  const mine = item.assignedTo?.id === ctx.caller!.auth.staffId;
  const title = interpolate(o.purposeTitle, { reference: item.reference });
  return (
    <StaffLayout ctx={ctx} title={title} section="inbox" hasErrors={!!error}>
      {error && <ErrorSummary title={ctx.s.common.errorTitle} errors={[{ id: 'purpose-handling', message: error }]} />}
      <form method="get" action={`/staff/inbox/${item.id}`}>
        <fieldset class="field">
          <legend><h1>{title}</h1></legend>
          <p class="hint">{o.purposeLead}</p>
          <SummaryList rows={[[ctx.s.inbox.form, item.form.title], [ctx.s.inbox.priority, <Priority ctx={ctx} priority={item.priority} />], [ctx.s.inbox.received, formatDateTime(item.submittedAt, ctx.lang)]]} />
          {ACCESS_PURPOSES.map((p) => (
            <div class="choice" key={p}>
              <input type="radio" id={`purpose-${p}`} name="purpose" value={p} checked={mine && p === 'handling'} />
              <label for={`purpose-${p}`}>{o[`purpose${p.charAt(0).toUpperCase()}${p.slice(1)}` as keyof typeof o]}</label>
            </div>
          ))}
        </fieldset>
        <div class="field field--narrow">
          <label for="purposeText">{o.purposeText}</label>
          <p class="hint" id="purposeText-hint">{o.purposeTextHint}</p>
          <input type="text" id="purposeText" name="purposeText" maxLength={500} aria-describedby="purposeText-hint" />
        </div>
        <div class="actions">
          <button type="submit" class="hds-button hds-button--primary"><span class="hds-button__label">{o.openButton}</span></button>
          <a href="/staff/inbox">{o.back}</a>
        </div>
      </form>
    </StaffLayout>
  );
}

export interface ItemExtras {
  /** The stated purpose, carried by every action so the page comes back opened for the same reason. */
  purpose: { purpose: string; purposeText?: string };
  handlers: { id: string; name: string }[];
  units: { id: string; name: string }[];
  notice?: string;
  error?: string;
}

function Hidden({ purpose }: { purpose: ItemExtras['purpose'] }) {
  return (
    <>
      <input type="hidden" name="purpose" value={purpose.purpose} />
      {purpose.purposeText && <input type="hidden" name="purposeText" value={purpose.purposeText} />}
    </>
  );
}

function SubmitButton({ label, secondary }: { label: string; secondary?: boolean }) {
  return <button type="submit" class={`hds-button ${secondary ? 'hds-button--secondary' : 'hds-button--primary'}`}><span class="hds-button__label">{label}</span></button>;
}

/** An opened submission: its metadata, the answers as the PDF shows them, history, notes, messages, and what a handler can do. */
export function ItemPage({ ctx, item, extras }: { ctx: StaffPageContext; item: InboxDetail; extras: ItemExtras }) {
  const { lang } = ctx;
  const t = ctx.s.item;
  const i = ctx.s.inbox;
  const base = `/staff/inbox/${item.id}`;
  const purposeQuery = new URLSearchParams({ purpose: extras.purpose.purpose, ...(extras.purpose.purposeText ? { purposeText: extras.purpose.purposeText } : {}) }).toString();
  const open = item.status !== 'closed';
  const childWelfare = item.purpose === 'child-welfare-notification';
  const title = interpolate(t.title, { reference: item.reference });
  const assessment = item.deadlines.find((d) => d.kind === 'assessment');
  const decision = item.deadlines.find((d) => d.kind === 'decision');
  const firstContact = item.deadlines.find((d) => d.kind === 'first-contact');
  const nextStep = item.status === 'received' ? ['acknowledged', t.acknowledge] : item.status === 'acknowledged' ? ['in_progress', t.startHandling] : undefined;
  const eventLabel = (action: string) => (t.event as Record<string, string>)[action] ?? t.event.other;
  return (
    <StaffLayout ctx={ctx} title={title} section="inbox" hasErrors={!!extras.error}>
      <h1>{title}</h1>
      {extras.error && <div class="error-summary" role="alert"><h2>{ctx.s.common.errorTitle}</h2><p>{extras.error}</p></div>}
      {extras.notice && <Notice kind="success"><p>{extras.notice}</p></Notice>}
      <h2>{t.metadata}</h2>
      <SummaryList
        rows={[
          [i.form, item.form.title],
          [i.priority, <Priority ctx={ctx} priority={item.priority} />],
          [i.status, item.status === 'closed' && item.outcome ? `${statusLabel(ctx, item.status)}: ${item.outcomes.find((o) => o.value === item.outcome)?.label ?? item.outcome}` : statusLabel(ctx, item.status)],
          [i.received, formatDateTime(item.submittedAt, lang)],
          [i.unit, item.unit?.name ?? ctx.s.common.none],
          [i.assignee, item.assignedTo?.name ?? i.unassigned],
          [t.identified, item.identified ? ctx.s.common.yes : ctx.s.common.no],
          [t.language, item.language.toUpperCase()],
        ]}
      />
      {item.deadlines.length > 0 && (
        <>
          <h2>{t.deadlines}</h2>
          <ul>
            {item.deadlines.map((d) => (
              <li key={d.kind}>
                {d.label}: {d.met && d.metAt ? interpolate(i.met, { at: formatDateTime(d.metAt, lang) }) : d.dueAt ? interpolate(i.due, { at: formatDateTime(d.dueAt, lang) }) : ctx.s.common.none}
                {d.overdue && <> <span class="tag tag--overdue">{i.overdue}</span></>}
              </li>
            ))}
          </ul>
        </>
      )}
      {item.informed.length > 0 && <p>{t.informed}: {item.informed.map((x) => `${x.label} ${formatDateTime(x.at, lang)}`).join('; ')}</p>}
      <p><a href={`${base}/pdf?${purposeQuery}`}>{t.pdf}</a></p>

      <h2>{t.answers}</h2>
      {item.answers.length === 0 ? <p>{t.noAnswers}</p> : (
        <dl class="summary-list">
          {item.answers.map((a) => (
            <div key={a.answer}>
              <dt>{a.label}</dt>
              <dd>
                {a.items ? a.items.map((entry, n) => (
                  <div key={n}>
                    {a.itemLabel && <strong>{a.itemLabel} {n + 1}</strong>}
                    <ul>{entry.map((e) => <li key={e.label}>{e.label}: {e.value}</li>)}</ul>
                  </div>
                )) : a.value}
              </dd>
            </div>
          ))}
        </dl>
      )}

      <h2>{t.messages}</h2>
      {item.messages.length === 0 ? <p>{t.noMessages}</p> : (
        <ul class="message-list">
          {item.messages.map((m) => (
            <li key={m.id} class={m.direction === 'handler' ? 'from-handler' : 'from-sender'}>
              <span class="meta">{m.direction === 'handler' ? interpolate(t.fromHandler, { name: m.staff?.name ?? '' }) : t.fromSender}, {formatDateTime(m.at, lang)}</span>
              {m.text}
            </li>
          ))}
        </ul>
      )}

      <h2>{t.notes}</h2>
      {item.notes.length === 0 ? <p>{t.noNotes}</p> : (
        <ul class="message-list">
          {item.notes.map((n) => (
            <li key={n.id}><span class="meta">{n.staff.name}, {formatDateTime(n.at, lang)}</span>{n.text}</li>
          ))}
        </ul>
      )}

      <h2>{t.actions}</h2>
      <div class="action-grid">
        {nextStep && (
          <section aria-labelledby="step-heading">
            <h3 id="step-heading">{i.status}: {statusLabel(ctx, item.status)}</h3>
            <PostForm ctx={ctx} action={`${base}/status`}>
              <Hidden purpose={extras.purpose} />
              <input type="hidden" name="status" value={nextStep[0]} />
              <SubmitButton label={nextStep[1]} />
            </PostForm>
          </section>
        )}
        {childWelfare && assessment && !assessment.met && open && (
          <section aria-labelledby="assessment-heading">
            <h3 id="assessment-heading">{t.assessmentHeading}</h3>
            <PostForm ctx={ctx} action={`${base}/assessment`}>
              <Hidden purpose={extras.purpose} />
              <fieldset class="field">
                <legend>{t.assessmentResult}</legend>
                {ASSESSMENT_RESULTS.map((r) => (
                  <div class="choice" key={r}>
                    <input type="radio" id={`result-${r}`} name="result" value={r} />
                    <label for={`result-${r}`}>{CLOCK_LABELS.assessment[r][lang]}</label>
                  </div>
                ))}
              </fieldset>
              <SubmitButton label={t.recordAssessment} />
            </PostForm>
          </section>
        )}
        {childWelfare && assessment?.met && decision && !decision.met && open && (
          <section aria-labelledby="decision-heading">
            <h3 id="decision-heading">{t.decisionHeading}</h3>
            <PostForm ctx={ctx} action={`${base}/decision`}>
              <Hidden purpose={extras.purpose} />
              <div class="field">
                <label for="decision">{t.decision}</label>
                <select id="decision" name="decision">{DECISIONS.map((d) => <option value={d}>{CLOCK_LABELS.decision[d][lang]}</option>)}</select>
              </div>
              <SubmitButton label={t.recordDecision} />
            </PostForm>
          </section>
        )}
        {firstContact && !firstContact.met && open && (
          <section aria-labelledby="contact-heading">
            <h3 id="contact-heading">{t.firstContactHeading}</h3>
            <PostForm ctx={ctx} action={`${base}/first-contact`}>
              <Hidden purpose={extras.purpose} />
              <div class="field">
                <label for="channel">{t.channel}</label>
                <select id="channel" name="channel">{CONTACT_CHANNELS.map((c) => <option value={c}>{CLOCK_LABELS.channel[c][lang]}</option>)}</select>
              </div>
              <SubmitButton label={t.recordFirstContact} />
            </PostForm>
          </section>
        )}
        {open && (
          <section aria-labelledby="assign-heading">
            <h3 id="assign-heading">{t.assignHeading}</h3>
            <PostForm ctx={ctx} action={`${base}/assign`}>
              <Hidden purpose={extras.purpose} />
              <div class="field">
                <label for="staffId">{t.assignTo}</label>
                <select id="staffId" name="staffId">
                  <option value="">{i.unassigned}</option>
                  {extras.handlers.map((h) => <option value={h.id} selected={item.assignedTo?.id === h.id}>{h.name}</option>)}
                </select>
              </div>
              <SubmitButton label={t.assign} secondary />
            </PostForm>
          </section>
        )}
        <section aria-labelledby="reply-heading">
          <h3 id="reply-heading">{t.replyHeading}</h3>
          <PostForm ctx={ctx} action={`${base}/reply`}>
            <Hidden purpose={extras.purpose} />
            <div class="field">
              <label for="reply-text">{t.replyText}</label>
              <p class="hint" id="reply-hint">{t.replyHint}</p>
              <textarea id="reply-text" name="text" rows={5} maxLength={4000} aria-describedby="reply-hint" />
            </div>
            <SubmitButton label={t.sendReply} />
          </PostForm>
        </section>
        <section aria-labelledby="note-heading">
          <h3 id="note-heading">{t.noteHeading}</h3>
          <PostForm ctx={ctx} action={`${base}/note`}>
            <Hidden purpose={extras.purpose} />
            <div class="field">
              <label for="note-text">{t.noteText}</label>
              <p class="hint" id="note-hint">{t.noteHint}</p>
              <textarea id="note-text" name="text" rows={4} maxLength={4000} aria-describedby="note-hint" />
            </div>
            <SubmitButton label={t.addNote} secondary />
          </PostForm>
        </section>
        {open && (
          <section aria-labelledby="forward-heading">
            <h3 id="forward-heading">{t.forwardHeading}</h3>
            <PostForm ctx={ctx} action={`${base}/forward`}>
              <Hidden purpose={extras.purpose} />
              <div class="field">
                <label for="unitId">{t.forwardUnit}</label>
                <select id="unitId" name="unitId">{extras.units.filter((u) => u.id !== item.unit?.id).map((u) => <option value={u.id}>{u.name}</option>)}</select>
              </div>
              <div class="field">
                <label for="forward-reason">{t.forwardReason}</label>
                <textarea id="forward-reason" name="reason" rows={3} maxLength={1000} />
              </div>
              <SubmitButton label={t.forward} secondary />
            </PostForm>
          </section>
        )}
        {item.status === 'in_progress' && (
          <section aria-labelledby="close-heading">
            <h3 id="close-heading">{t.closeHeading}</h3>
            <PostForm ctx={ctx} action={`${base}/status`}>
              <Hidden purpose={extras.purpose} />
              <input type="hidden" name="status" value="closed" />
              <div class="field">
                <label for="outcome">{t.outcome}</label>
                <select id="outcome" name="outcome">{item.outcomes.map((o) => <option value={o.value}>{o.label}</option>)}</select>
              </div>
              <SubmitButton label={t.close} />
            </PostForm>
          </section>
        )}
      </div>

      <h2>{t.history}</h2>
      <ol>
        {item.history.map((e) => (
          <li key={e.id}>
            {formatDateTime(e.at, lang)}: {eventLabel(e.action)}
            {' – '}
            {e.actor.type === 'staff' ? interpolate(t.byStaff, { name: e.actor.name ?? '' }) : e.actor.type === 'system' ? t.bySystem : t.bySender}
          </li>
        ))}
      </ol>
      <p><a href="/staff/inbox">{ctx.s.open.back}</a></p>
    </StaffLayout>
  );
}
