import { Layout } from '../components/layout';
import type { PageContext } from '../page-context';

/** A page that only says something: an error, an expired link, what to do next. */
export function MessagePage({ ctx, title, text, noindex }: { ctx: PageContext; title: string; text: string; noindex?: boolean }) {
  return (
    <Layout ctx={ctx} title={title} noindex={noindex}>
      <h1>{title}</h1>
      <p>{text}</p>
      <p><a href="/">{ctx.t.errorPage.backHome}</a></p>
    </Layout>
  );
}
