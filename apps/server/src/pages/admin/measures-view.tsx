import { interpolate } from '@app/platform';
import type { Measures } from '../../measures.service';
import { StaffLayout, type StaffPageContext } from '../staff/staff-layout';
import { PeriodFilter } from './admin-views';
import { BarChart } from './charts';

export interface MeasuresFilters {
  unit?: string;
  from?: string;
  to?: string;
}

/** `2026-03` → `3/2026`. */
export function monthLabel(month: string): string {
  return `${Number(month.slice(5, 7))}/${month.slice(0, 4)}`;
}

function hours(value: number | null, none: string): string {
  return value === null ? none : String(Math.round(value * 10) / 10);
}

function share(value: number | null, none: string): string {
  return value === null ? none : `${Math.round(value * 1000) / 10} %`;
}

/** The measures page: per unit, three charts (submissions, hours to acknowledgement, decisions in time) and the table they draw. */
export function MeasuresPage({ ctx, measures, filters, units, csvHref }: {
  ctx: StaffPageContext; measures: Measures; filters: MeasuresFilters; units: { id: string; name: string }[]; csvHref: string;
}) {
  const m = ctx.s.measures;
  const c = ctx.s.common;
  const none = c.none;
  return (
    <StaffLayout ctx={ctx} title={m.title} section="measures">
      <h1>{m.title}</h1>
      <p>{m.lead}</p>
      <form method="get" action="/admin/measures" class="filters">
        <div class="field">
          <label for="unit">{m.unit}</label>
          <select id="unit" name="unit">
            <option value="">{m.allUnits}</option>
            {units.map((u) => <option key={u.id} value={u.id} selected={filters.unit === u.id}>{u.name}</option>)}
          </select>
        </div>
        <PeriodFilter ctx={ctx} filters={filters} />
        <a href="/admin/measures">{c.clearFilters}</a>
      </form>
      <p><a href={csvHref} download>{m.csv}</a></p>
      {measures.units.length === 0 && <p>{m.noData}</p>}
      {measures.units.map(({ unit, months }, index) => {
        const categories = months.map((x) => x.month);
        const labels = categories.map(monthLabel);
        const id = `unit-${index}`;
        const tableId = `${id}-table`;
        const desc = interpolate(m.chartDesc, { first: labels[0] ?? '', last: labels[labels.length - 1] ?? '' });
        return (
          <section key={unit.id} class="measures-unit" aria-labelledby={`${id}-heading`} data-unit={unit.id}>
            <h2 id={`${id}-heading`}>{unit.name}</h2>
            <h3>{interpolate(m.chartSubmissions, { unit: unit.name })}</h3>
            <BarChart id={`${id}-submissions`} title={interpolate(m.chartSubmissions, { unit: unit.name })} desc={desc} categories={categories} labels={labels}
              series={[{ name: m.submissions, style: 'bar', values: months.map((x) => x.submissions.total) }]} />
            <h3>{interpolate(m.chartHours, { unit: unit.name })}</h3>
            <ul class="legend" aria-hidden="true">
              <li><span class="swatch" />{m.median}</li>
              <li><span class="swatch swatch--p90" />{m.p90}</li>
            </ul>
            <BarChart id={`${id}-hours`} title={interpolate(m.chartHours, { unit: unit.name })} desc={desc} categories={categories} labels={labels} unit=" h"
              series={[
                { name: m.median, style: 'bar', values: months.map((x) => x.hoursTo.acknowledgement.median) },
                { name: m.p90, style: 'bar--p90', values: months.map((x) => x.hoursTo.acknowledgement.p90) },
              ]} />
            <h3>{interpolate(m.chartShare, { unit: unit.name })}</h3>
            <BarChart id={`${id}-share`} title={interpolate(m.chartShare, { unit: unit.name })} desc={desc} categories={categories} labels={labels} unit=" %" max={100}
              series={[{ name: m.decidedInTime, style: 'bar', values: months.map((x) => (x.decidedInTime.share === null ? null : Math.round(x.decidedInTime.share * 1000) / 10)) }]} />
            <div class="table-wrap" tabIndex={0} role="region" aria-label={interpolate(m.tableCaption, { unit: unit.name })}>
              <table class="data" id={tableId}>
                <caption>{interpolate(m.tableCaption, { unit: unit.name })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{m.month}</th><th scope="col" class="num">{m.submissions}</th><th scope="col" class="num">{m.open}</th>
                    <th scope="col" class="num">{m.medianHours}</th><th scope="col" class="num">{m.p90Hours}</th><th scope="col" class="num">{m.decidedInTime}</th>
                    <th scope="col" class="num">{m.appointments}</th><th scope="col" class="num">{m.noShows}</th>
                  </tr>
                </thead>
                <tbody>
                  {months.map((x) => (
                    <tr key={x.month} data-month={x.month}>
                      <th scope="row">{monthLabel(x.month)}</th>
                      <td class="num">{x.submissions.total}</td>
                      <td class="num">{x.submissions.open}</td>
                      <td class="num">{hours(x.hoursTo.acknowledgement.median, none)}</td>
                      <td class="num">{hours(x.hoursTo.acknowledgement.p90, none)}</td>
                      <td class="num">{x.decidedInTime.of ? `${share(x.decidedInTime.share, none)} (${x.decidedInTime.decided}/${x.decidedInTime.of})` : none}</td>
                      <td class="num">{x.bookings.appointments}</td>
                      <td class="num">{x.bookings.noShows}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </StaffLayout>
  );
}
