import type { StaffSlotView } from '@app/booking';
import { interpolate } from '@app/platform';
import { PostForm } from '../components/ui';
import { formatDateTime } from '../format';
import type { StaffPageContext } from './staff-layout';

/**
 * Block or unblock one slot from a calendar list (a slot withdrawn by the
 * calendar has neither); a single slot added by hand and not booked may also
 * be removed, by whoever may remove it (`removable`: one's own, or an admin).
 */
export function SlotBlockForm({ ctx, slot, back, removable }: { ctx: StaffPageContext; slot: StaffSlotView; back: string; removable: boolean }) {
  const t = ctx.s.schedule;
  const time = formatDateTime(slot.startsAt, ctx.lang);
  const action = slot.blocked ? 'unblock' : 'block';
  return (
    <>
      {(slot.blocked || slot.status !== 'busy-unavailable') && (
        <PostForm ctx={ctx} action={`/staff/slots/${slot.id}/${action}`}>
          <input type="hidden" name="back" value={back} />
          <button type="submit" class="link-button" aria-label={interpolate(slot.blocked ? t.unblockLabel : t.blockLabel, { time })}>
            {slot.blocked ? t.unblock : t.block}
          </button>
        </PostForm>
      )}
      {removable && slot.origin === 'manual' && slot.booked === 0 && (
        <PostForm ctx={ctx} action={`/staff/slots/${slot.id}/remove`}>
          <input type="hidden" name="back" value={back} />
          <button type="submit" class="link-button" aria-label={interpolate(t.removeSlotLabel, { time })}>{t.removeSlot}</button>
        </PostForm>
      )}
    </>
  );
}
