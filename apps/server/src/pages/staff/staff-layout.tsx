import type { ComponentChildren } from 'preact';
import { interpolate } from '@app/platform';
import { LanguageSwitch } from '../components/layout';
import { PostForm } from '../components/ui';
import type { PageContext } from '../page-context';
import type { StaffTexts } from '../texts/staff';
import { LOGIN_PATH, type StaffCaller } from './staff-session';


/** What every staff page renders with: the page context, the staff texts, and the signed-in caller (none on the login page). */
export interface StaffPageContext extends PageContext {
  s: StaffTexts;
  caller?: StaffCaller;
}

export type StaffSection = 'calendar' | 'inbox' | 'measures' | 'access-log' | 'outbox' | 'settings' | 'feedback' | 'units' | 'staff-admin' | 'services' | 'account' | 'forms';

/**
 * The frame of the staff, handler and admin pages: no "ask for help" bar
 * (these are not the citizens' pages), the sections the caller may use, the
 * language switch to the same page, sign-out on every page, and a refresh
 * that returns an idle page to the login by itself (no script needed), so a
 * shared workstation left alone shows nobody's data.
 */
export function StaffLayout({ ctx, title, section, hasErrors, children }: { ctx: StaffPageContext; title: string; section?: StaffSection; hasErrors?: boolean; children: ComponentChildren }) {
  const { s, caller } = ctx;
  const roles = caller?.auth;
  const links: [StaffSection, string, string, boolean][] = [
    ['calendar', '/staff/calendar', s.layout.calendar, !!roles && (roles.unitIds.length > 0 || roles.roles.includes('staff'))],
    ['inbox', '/staff/inbox', s.layout.inbox, !!roles && roles.handlerUnitIds.length > 0],
    ['measures', '/admin/measures', s.layout.measures, !!roles?.roles.includes('admin')],
    ['access-log', '/admin/access-log', s.layout.accessLog, !!roles?.roles.includes('admin')],
    ['outbox', '/admin/outbox', s.layout.outbox, !!roles?.roles.includes('admin')],
    ['settings', '/admin/settings', s.layout.settings, !!roles?.roles.includes('admin')],
    ['feedback', '/admin/feedback', s.feedback.title, !!roles?.roles.includes('admin')],
    ['units', '/admin/units', s.units.title, !!roles?.roles.includes('admin')],
    ['staff-admin', '/admin/staff', s.staffAdmin.title, !!roles?.roles.includes('admin')],
    ['services', '/admin/services', s.services.title, !!roles?.roles.includes('admin')],
    ['forms', '/admin/forms', s.formsAdmin.nav, !!roles?.roles.includes('admin')],
  ];
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        {caller && <meta name="idle-timeout" content={String(caller.idleSeconds)} data-leave={`${LOGIN_PATH}?timeout=1`} />}
        {caller && <script src={caller.idleScript} defer />}
        <title>{`${hasErrors ? `${ctx.t.layout.errorPrefix}: ` : ''}${title} – ${s.layout.staffArea} – ${ctx.org.name}`}</title>
        <link rel="stylesheet" href={ctx.css} />
      </head>
      <body class="staff">
        <a class="skip-link" href="#main">{s.layout.skipToContent}</a>
        <header class="site-header">
          <div class="page-width page-width--wide site-header__bar">
            <span class="brand">
              {ctx.org.logoUrl && <img src={ctx.org.logoUrl} alt="" />}
              <span>{ctx.org.name}: {s.layout.staffArea}</span>
            </span>
            <LanguageSwitch ctx={ctx} label={s.layout.languages} />
          </div>
        </header>
        {caller && (
          <div class="staff-bar">
            <div class="page-width page-width--wide staff-bar__inner">
              <nav aria-label={s.layout.navigation}>
                <ul class="staff-nav">
                  {links.filter(([, , , shown]) => shown).map(([key, href, label]) => (
                    <li key={key}><a href={href} aria-current={key === section ? 'page' : undefined}>{label}</a></li>
                  ))}
                </ul>
              </nav>
              <div class="staff-bar__user">
                <span>{interpolate(s.layout.signedInAs, { name: caller.name })}</span>
                <a href="/staff/account" aria-current={section === 'account' ? 'page' : undefined}>{s.account2.link}</a>
                <PostForm ctx={ctx} action="/staff/logout">
                  <button type="submit" class="link-button">{s.layout.logout}</button>
                </PostForm>
              </div>
            </div>
          </div>
        )}
        {caller && (
          <div id="idle-warning" class="idle-warning" role="alertdialog" aria-labelledby="idle-warning-text" hidden>
            <p id="idle-warning-text">{s.layout.idleWarning}</p>
            <button type="button" class="hds-button hds-button--primary"><span class="hds-button__label">{s.layout.idleContinue}</span></button>
          </div>
        )}
        <main id="main" tabIndex={-1}>
          <div class="page-width page-width--wide">{children}</div>
        </main>
      </body>
    </html>
  );
}
