import type { StaffPageContext } from './staff-layout';
import { type Choice, SlotForm } from './schedule-views';

/** What a done calendar action says on the calendar page. */
export function calendarNotice(ctx: StaffPageContext, done: unknown): string | undefined {
  const t = ctx.s.schedule;
  if (done === 'blocked') return t.blockedDone;
  if (done === 'unblocked') return t.unblockedDone;
  if (done === 'slot-added') return t.slotAdded;
  if (done === 'slot-removed') return t.slotRemoved;
  return undefined;
}

/** Below the calendar: a single slot to add, and the pages for hours and absences, the unit's day and booking by phone. */
export function CalendarTools({ ctx, services }: { ctx: StaffPageContext; services: Choice[] }) {
  const t = ctx.s.schedule;
  const auth = ctx.caller!.auth;
  return (
    <>
      <h2>{t.slotsHeading}</h2>
      <SlotForm ctx={ctx} services={services} />
      <p class="pager">
        <a href="/staff/schedule">{t.link}</a>
        {(auth.unitIds.length > 0 || auth.roles.includes('admin')) && <a href="/staff/calendar/unit">{t.unitView}</a>}
        {services.length > 0 && <a href="/staff/book">{t.bookForFamily}</a>}
      </p>
    </>
  );
}
