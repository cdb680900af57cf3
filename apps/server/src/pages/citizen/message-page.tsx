import { Layout } from '../components/layout';
import type { PageContext } from '../page-context';

/** A page that only says something: an error, an expired link, what to do next. */
export function MessagePage({ ctx, title, text, noindex, link }: { ctx: PageContext; title: string; text: string; noindex?: boolean; link?: { href: string; text: string } }) {
  return (
    <Layout ctx={ctx} title={title} noindex={noindex}>
      <h1>{title}</h1>
      <p>{text}</p>
      {link && <p><a href={link.href}>{link.text}</a></p>}
      <p><a href="/">{ctx.t.errorPage.backHome}</a></p>
    </Layout>
  );
}
