/**
 * The Finnish catalogue is the reference: `sv` and `en` have its type, so a
 * text missing from either fails the build. Placeholders: `{name}`.
 */
export const fi = {
  errors: {
    validation_failed: 'Tarkista lähettämäsi tiedot.',
    malformed_request: 'Pyyntö ei ole kelvollista JSONia.',
    payload_too_large: 'Pyyntö on liian suuri.',
    not_found: 'Pyydettyä kohdetta ei löytynyt.',
    unauthenticated: 'Kirjaudu sisään.',
    invalid_credentials: 'Sähköpostiosoite tai salasana on väärin.',
    too_many_attempts: 'Liian monta epäonnistunutta yritystä. Yritä uudelleen {seconds} sekunnin kuluttua.',
    forbidden: 'Sinulla ei ole oikeutta tähän toimintoon.',
    already_exists: 'Samalla tunnisteella on jo tietue ({field}).',
    unknown_reference: 'Viitattua kohdetta ei ole: {field}.',
    invalid_range: 'Aikavälin alun on oltava ennen loppua, ja väli saa olla enintään {maxDays} päivää.',
    slot_not_found: 'Aikaa ei löytynyt.',
    slot_taken: 'Valitsemasi aika ehdittiin juuri varata. Valitse toinen aika.',
    slot_unavailable: 'Valitsemasi aika ei ole varattavissa. Valitse toinen aika.',
    slot_in_past: 'Aika on jo mennyt.',
    slot_within_minimum_notice: 'Aika on liian pian. Varaa aika viimeistään {minutes} minuuttia ennen sen alkua.',
    slot_beyond_horizon: 'Aikaa ei voi vielä varata. Ajat voi varata enintään {days} päivää etukäteen.',
    staff_overlap: 'Työntekijällä on jo varaus tälle ajalle.',
    wrong_service: 'Uuden ajan on oltava samaan palveluun.',
    change_deadline_passed: 'Varausta ei voi enää muuttaa tai perua verkossa. Ota yhteyttä toimipisteeseen.',
    appointment_not_active: 'Varaus on jo peruttu tai käsitelty.',
    invalid_status_change: 'Varauksen tilaa ei voi muuttaa näin.',
    idempotency_key_reused: 'Idempotency-Key on jo käytetty toisenlaiseen pyyntöön.',
    slot_booked: 'Aikaan on varauksia, joten sitä ei voi muuttaa.',
    internal: 'Palvelussa tapahtui virhe. Yritä hetken kuluttua uudelleen.',
  },
  validation: {
    whitelistValidation: 'Tuntematon kenttä.',
    isDefined: 'Pakollinen tieto puuttuu.',
    isNotEmpty: 'Pakollinen tieto puuttuu.',
    isString: 'Arvon on oltava tekstiä.',
    isInt: 'Arvon on oltava kokonaisluku.',
    isBoolean: 'Arvon on oltava tosi tai epätosi.',
    isArray: 'Arvon on oltava lista.',
    isObject: 'Arvon on oltava objekti.',
    isEmail: 'Sähköpostiosoite ei ole kelvollinen.',
    isPhone: 'Puhelinnumero ei ole kelvollinen.',
    isUUID: 'Tunniste ei ole kelvollinen.',
    isIn: 'Arvo ei ole sallittu. Sallitut arvot: {values}.',
    isDate: 'Päivämäärä ei ole kelvollinen (muoto VVVV-KK-PP).',
    isTime: 'Kellonaika ei ole kelvollinen (muoto TT:MM).',
    isDateTime: 'Ajankohta ei ole kelvollinen (ISO 8601, esim. 2026-03-30T08:00:00+03:00).',
    min: 'Arvon on oltava vähintään {min}.',
    max: 'Arvon on oltava enintään {max}.',
    minLength: 'Tekstin on oltava vähintään {min} merkkiä.',
    maxLength: 'Teksti saa olla enintään {max} merkkiä.',
    arrayMinSize: 'Listassa on oltava vähintään {min} arvoa.',
    arrayMaxSize: 'Listassa saa olla enintään {max} arvoa.',
    contactRequired: 'Anna sähköpostiosoite tai puhelinnumero.',
    localized: 'Anna teksti suomeksi, ruotsiksi ja englanniksi (fi, sv, en).',
    invalid: 'Arvo ei ole kelvollinen.',
  },
  field: 'Kenttä',
};

export type Translations = typeof fi;
export type ErrorCode = keyof Translations['errors'];
export type ValidationRule = keyof Translations['validation'];
