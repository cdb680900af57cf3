import type { StaffView } from '@app/identity';
import { PostForm, SummaryList } from '../components/ui';
import { StaffLayout, type StaffPageContext } from './staff-layout';

/** My account: who I am signed in as, where and as what; signing out on every device. */
export function AccountPage({ ctx, me }: { ctx: StaffPageContext; me: StaffView }) {
  const a = ctx.s.account2;
  const sa = ctx.s.staffAdmin;
  const units = me.units.map((u) => `${u.name[ctx.lang]} (${u.roles.map((r) => (r === 'calendar' ? sa.calendar : sa.handler)).join(', ')})`).join('; ');
  return (
    <StaffLayout ctx={ctx} title={a.title} section="account">
      <h1>{a.title}</h1>
      <SummaryList rows={[
        [sa.name, me.name],
        [sa.email, me.email],
        [sa.jobTitle, me.title?.[ctx.lang] ?? ctx.s.common.none],
        [sa.roles, me.roles.map((r) => (r === 'admin' ? sa.roleAdmin : sa.roleStaff)).join(', ')],
        [sa.units, units || ctx.s.common.none],
        [sa.languages, me.languages.map((l) => ctx.t.booking.languageNames[l]).join(', ')],
      ]} />
      <section aria-labelledby="everywhere-heading">
        <h2 id="everywhere-heading">{a.everywhereHeading}</h2>
        <p>{a.everywhereLead}</p>
        <PostForm ctx={ctx} action="/staff/logout-everywhere">
          <button type="submit" class="hds-button hds-button--secondary"><span class="hds-button__label">{a.everywhere}</span></button>
        </PostForm>
      </section>
    </StaffLayout>
  );
}
