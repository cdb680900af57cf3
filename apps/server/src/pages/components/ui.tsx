import type { ComponentChildren } from 'preact';
import { CSRF_FIELD, type PageContext } from '../page-context';

/** A POST form with the cross-site request forgery token. */
export function PostForm({ ctx, action, children, novalidate = true, id, autocomplete }: {
  ctx: PageContext; action: string; children: ComponentChildren; novalidate?: boolean; id?: string; autocomplete?: 'off';
}) {
  return (
    <form method="post" action={action} noValidate={novalidate} id={id} autoComplete={autocomplete}>
      <input type="hidden" name={CSRF_FIELD} value={ctx.csrf} />
      {children}
    </form>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'alert' | 'success'; children: ComponentChildren }) {
  return <div class={`notice${kind === 'info' ? '' : ` notice--${kind}`}`}>{children}</div>;
}

export function SummaryList({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="summary-list">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface FieldError {
  /** The id of the control the error is about (the summary links to it). */
  id: string;
  message: string;
}

/** GOV.UK's error summary: at the top, focused by its heading, one link per field. */
export function ErrorSummary({ title, errors }: { title: string; errors: FieldError[] }) {
  if (!errors.length) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {errors.map((e) => (
          <li key={e.id}><a href={`#${e.id}`}>{e.message}</a></li>
        ))}
      </ul>
    </div>
  );
}
