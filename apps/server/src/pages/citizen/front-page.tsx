import type { Service } from '@app/booking';
import { interpolate } from '@app/platform';
import { CHILD_WELFARE_FORM, HELP_FORM, Layout } from '../components/layout';
import type { PageContext } from '../page-context';

/** The front page: what one can book, help and the child-welfare notification in one tap each, and 112. */
export function FrontPage({ ctx, services }: { ctx: PageContext; services: Service[] }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t.front.title}>
      <h1>{t.front.title}</h1>
      <p class="lead">{t.front.lead}</p>
      <div class="actions">
        <a class="hds-button hds-button--primary" href={`/lomake/${HELP_FORM}`}>{t.layout.askForHelp}</a>
        <a class="hds-button hds-button--secondary" href={`/lomake/${CHILD_WELFARE_FORM}`}>{t.front.childWelfareButton}</a>
      </div>
      <h2>{t.front.bookHeading}</h2>
      {services.length ? (
        <ul class="card-list">
          {services.map((service) => (
            <li class="card" key={service.id}>
              <h3><a href={`/varaa/${service.id}`}>{service.name[lang]}</a></h3>
              {service.description && <p>{service.description[lang]}</p>}
              <p>
                {interpolate(t.front.duration, { minutes: service.durationMinutes })} · {service.channels.map((c) => t.channel[c]).join(', ')}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t.front.noServices}</p>
      )}
      <h2>{t.front.helpHeading}</h2>
      <p>{t.front.helpText}</p>
      <p><a href={`/lomake/${HELP_FORM}`}>{t.layout.askForHelp}</a></p>
      <h2>{t.front.childWelfareHeading}</h2>
      <p>{t.front.childWelfareText}</p>
      <p><a href={`/lomake/${CHILD_WELFARE_FORM}`}>{t.front.childWelfareButton}</a></p>
      <section class="emergency" aria-labelledby="emergency-heading">
        <h2 id="emergency-heading">{t.front.emergencyHeading}</h2>
        <p>{t.front.emergencyText}</p>
      </section>
    </Layout>
  );
}
