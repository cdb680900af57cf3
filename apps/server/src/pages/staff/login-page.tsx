import { interpolate } from '@app/platform';
import { ErrorSummary, Notice, PostForm } from '../components/ui';
import { StaffLayout, type StaffPageContext } from './staff-layout';
import { RETURN_FIELD } from './return-path';
import type { LoginReason } from './staff-session';

/** The staff login: e-mail and password; why the visitor is here (signed out, idle, expired); the API's refusal in words. */
export function LoginPage({ ctx, reason, email, error, idleMinutes, next }: {
  ctx: StaffPageContext; reason?: LoginReason; email?: string; error?: string; idleMinutes: number; next?: string;
}) {
  const l = ctx.s.login;
  const said = reason === 'idle' ? interpolate(l.idle, { minutes: idleMinutes }) : reason === 'expired' ? l.expired : reason === 'signed-out' ? l.signedOut
    : reason === 'signed-out-everywhere' ? ctx.s.account2.signedOutEverywhere : undefined;
  return (
    <StaffLayout ctx={ctx} title={l.title} hasErrors={!!error}>
      <h1>{l.title}</h1>
      {error && <ErrorSummary title={ctx.s.common.errorTitle} errors={[{ id: 'email', message: error }]} />}
      {said && !error && <Notice><p>{said}</p></Notice>}
      <p>{l.lead}</p>
      <PostForm ctx={ctx} action="/staff/login">
        {next && <input type="hidden" name={RETURN_FIELD} value={next} />}
        <div class={`field${error ? ' field--error' : ''}`}>
          <label for="email">{l.email}</label>
          <input type="email" id="email" name="email" autoComplete="username" required value={email ?? ''} />
        </div>
        <div class={`field${error ? ' field--error' : ''}`}>
          <label for="password">{l.password}</label>
          <input type="password" id="password" name="password" autoComplete="current-password" required class="password" />
        </div>
        <button type="submit" class="hds-button hds-button--primary"><span class="hds-button__label">{l.submit}</span></button>
      </PostForm>
    </StaffLayout>
  );
}
