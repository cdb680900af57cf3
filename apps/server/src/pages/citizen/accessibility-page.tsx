import type { ComponentChildren } from 'preact';
import { interpolate } from '@app/platform';
import { Layout } from '../components/layout';
import type { PageContext } from '../page-context';

/** Saavutettavuusseloste: the accessibility statement the law (306/2019) asks for. */
export function AccessibilityPage({ ctx, feedback, hasErrors }: { ctx: PageContext; feedback?: ComponentChildren; hasErrors?: boolean }) {
  const a = ctx.t.accessibility;
  return (
    <Layout ctx={ctx} title={a.title} hasErrors={hasErrors}>
      <h1>{a.title}</h1>
      <p>{interpolate(a.intro, { org: ctx.org.name })}</p>
      <h2>{a.statusHeading}</h2>
      <p>{a.status}</p>
      <h2>{a.knownIssuesHeading}</h2>
      <p>{a.knownIssues}</p>
      <h2>{a.feedbackHeading}</h2>
      <p>{a.feedback}</p>
      {feedback}
      <h2>{a.supervisionHeading}</h2>
      <p>{a.supervision}</p>
      <p>{a.updated}</p>
    </Layout>
  );
}
