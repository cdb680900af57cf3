import type { StaffSlotView } from '@app/booking';
import { interpolate } from '@app/platform';
import { PostForm } from '../components/ui';
import { formatDateTime } from '../format';
import type { StaffPageContext } from './staff-layout';

/** Block or unblock one slot from a calendar list; a slot withdrawn by the calendar has neither. */
export function SlotBlockForm({ ctx, slot, back }: { ctx: StaffPageContext; slot: StaffSlotView; back: string }) {
  if (!slot.blocked && slot.status === 'busy-unavailable') return null;
  const t = ctx.s.schedule;
  const action = slot.blocked ? 'unblock' : 'block';
  const time = formatDateTime(slot.startsAt, ctx.lang);
  return (
    <PostForm ctx={ctx} action={`/staff/slots/${slot.id}/${action}`}>
      <input type="hidden" name="back" value={back} />
      <button type="submit" class="link-button" aria-label={interpolate(slot.blocked ? t.unblockLabel : t.blockLabel, { time })}>
        {slot.blocked ? t.unblock : t.block}
      </button>
    </PostForm>
  );
}
