import type { ComponentChildren } from 'preact';
import { LANGUAGES, type Lang } from '@app/platform';
import { type PageContext, languageHref } from '../page-context';

export const HELP_FORM = 'pyyda-apua';
export const CHILD_WELFARE_FORM = 'lastensuojeluilmoitus';
export const ACCESSIBILITY_PATH = '/saavutettavuusseloste';
export const FOLLOW_UP_PATH = '/seuranta';

const LANGUAGE_NAMES: Record<Lang, string> = { fi: 'Suomeksi', sv: 'På svenska', en: 'In English' };
const LANGUAGE_SHORT: Record<Lang, string> = { fi: 'FI', sv: 'SV', en: 'EN' };

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  /** The page shows personal data or a form: keep it out of search engines. */
  noindex?: boolean;
  /** The page re-shows a form with errors: the title says so first. */
  hasErrors?: boolean;
  /** A sensitive form: the quick-exit link on top. */
  quickExit?: boolean;
  /**
   * The id of the page's form whose answers a language switch keeps: the
   * switch is then that form's submit buttons (no answers lost, no script).
   */
  langForm?: string;
  /** The small enhancing script (quick exit keys, the print button); every page works without it. */
  script?: string;
  children: ComponentChildren;
}

/** Where quick exit goes: a neutral site that says nothing of what was open. */
export const QUICK_EXIT_URL = 'https://www.google.com/';

/**
 * Every page's frame: language, skip link, the organisation's header with
 * the language switch (to the same page), "ask for help" in one tap, and
 * the footer with the accessibility statement.
 */
/** The language switch: the same page in each language. */
export function LanguageSwitch({ ctx, label, form }: { ctx: PageContext; label: string; form?: string }) {
  return (
    <nav class="lang-switch" aria-label={label}>
      <ul>
        {LANGUAGES.map((lang) => (
          <li key={lang}>
            {form ? (
              <button type="submit" form={form} name="_lang" value={lang} lang={lang} class="lang-button" aria-current={lang === ctx.lang ? 'true' : undefined}>
                <abbr title={LANGUAGE_NAMES[lang]}>{LANGUAGE_SHORT[lang]}</abbr>
                <span class="visually-hidden"> {LANGUAGE_NAMES[lang]}</span>
              </button>
            ) : <a href={languageHref(ctx, lang)} lang={lang} hreflang={lang} aria-current={lang === ctx.lang ? 'true' : undefined}>
              <abbr title={LANGUAGE_NAMES[lang]}>{LANGUAGE_SHORT[lang]}</abbr>
              <span class="visually-hidden"> {LANGUAGE_NAMES[lang]}</span>
            </a>}
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Layout({ ctx, title, noindex, hasErrors, quickExit, langForm, script, children }: LayoutProps) {
  const { t } = ctx;
  const fullTitle = `${hasErrors ? `${t.layout.errorPrefix}: ` : ''}${title} – ${ctx.org.name}`;
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {noindex && <meta name="robots" content="noindex, nofollow" />}
        <title>{fullTitle}</title>
        <link rel="stylesheet" href={ctx.css} />
        {script && <script src={script} defer />}
      </head>
      <body>
        <a class="skip-link" href="#main">{t.layout.skipToContent}</a>
        {quickExit && (
          <div class="quick-exit">
            <div class="page-width">
              <a href={QUICK_EXIT_URL} rel="nofollow noreferrer" id="quick-exit">{t.form.quickExit}</a>
            </div>
          </div>
        )}
        <header class="site-header">
          <div class="page-width site-header__bar">
            <a class="brand" href="/">
              {ctx.org.logoUrl && <img src={ctx.org.logoUrl} alt="" />}
              <span>{ctx.org.name}</span>
            </a>
            <LanguageSwitch ctx={ctx} label={t.layout.languages} form={langForm} />
          </div>
        </header>
        <div class="help-bar">
          <div class="page-width">
            <a class="help-link" href={`/lomake/${HELP_FORM}`}>{t.layout.askForHelp}</a>
            <span>{t.layout.emergency}</span>
          </div>
        </div>
        <main id="main" tabIndex={-1}>
          <div class="page-width">{children}</div>
        </main>
        <footer class="site-footer">
          <div class="page-width">
            <ul>
              <li><a href="/">{t.layout.home}</a></li>
              <li><a href={FOLLOW_UP_PATH}>{t.followUp.footerLink}</a></li>
              <li><a href={ACCESSIBILITY_PATH}>{t.layout.accessibility}</a></li>
            </ul>
          </div>
        </footer>
      </body>
    </html>
  );
}
