import type { Lang } from '@app/platform';
import type { FormDefinition, HandlingOutcome, Purpose } from '@app/forms';

/**
 * The outcomes a handler chooses from when closing, for forms whose
 * definition lists none (`handling.outcomes`), by the form's purpose.
 */
export const DEFAULT_OUTCOMES: Record<Purpose, HandlingOutcome[]> = {
  // Lastensuojelulaki 417/2007 §26: within 7 working days, a decision whether a service needs assessment starts.
  'child-welfare-notification': [
    {
      value: 'assessment-started',
      label: { fi: 'Palvelutarpeen arviointi aloitettu', sv: 'Bedömning av servicebehovet inledd', en: 'Service needs assessment started' },
    },
    {
      value: 'existing-client',
      label: { fi: 'Liitetty lapsen lastensuojelun asiakkuuteen', sv: 'Fogad till barnets klientskap inom barnskyddet', en: 'Added to the child\'s existing child welfare case' },
    },
    {
      value: 'no-further-action',
      label: { fi: 'Ei aihetta jatkoselvitykseen', sv: 'Ingen anledning till fortsatt utredning', en: 'No grounds for further inquiry' },
    },
    {
      value: 'transferred',
      label: { fi: 'Siirretty toisen kunnan käsiteltäväksi', sv: 'Överförd till en annan kommun', en: 'Transferred to another municipality' },
    },
  ],
  'help-request': [
    { value: 'guidance-given', label: { fi: 'Ohjausta tai neuvontaa annettu', sv: 'Handledning eller rådgivning given', en: 'Guidance or advice given' } },
    { value: 'service-started', label: { fi: 'Palvelu aloitettu', sv: 'Tjänst inledd', en: 'Service started' } },
    { value: 'referred', label: { fi: 'Ohjattu toiseen palveluun', sv: 'Hänvisad till en annan tjänst', en: 'Referred to another service' } },
    { value: 'not-reached', label: { fi: 'Yhteyttä ei saatu', sv: 'Kontakt kunde inte nås', en: 'Could not be reached' } },
    { value: 'withdrawn', label: { fi: 'Pyyntö peruttu', sv: 'Begäran återtagen', en: 'Request withdrawn' } },
  ],
  'pre-information': [{ value: 'handled', label: { fi: 'Käsitelty', sv: 'Behandlad', en: 'Handled' } }],
  general: [
    { value: 'handled', label: { fi: 'Käsitelty', sv: 'Behandlad', en: 'Handled' } },
    { value: 'no-action', label: { fi: 'Ei toimenpiteitä', sv: 'Inga åtgärder', en: 'No action needed' } },
  ],
};

/** The outcomes of a form version: its own list, else the default for its purpose. */
export function outcomesOf(definition: FormDefinition): HandlingOutcome[] {
  return definition.handling.outcomes ?? DEFAULT_OUTCOMES[definition.purpose];
}

/** The outcomes with their labels in one language, for choosing. */
export function localizedOutcomes(definition: FormDefinition, lang: Lang): { value: string; label: string }[] {
  return outcomesOf(definition).map((o) => ({ value: o.value, label: o.label[lang] }));
}
