import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, type Lang, helsinkiDateOf } from '@app/platform';
import { type LocalizedText, type Role, StaffService, UnitsService } from '@app/identity';
import type { Channel } from './booking.dto';
import { CalendarService } from './calendar.service';
import { ServicesService } from './services.service';

export const DEMO_PASSWORD = 'demo-salasana-2026';

/**
 * Demo units. The shipped help request and child-welfare notification route
 * by municipality among units of one wellbeing services county (Länsi-Uusimaa:
 * Espoo, Kauniainen and Kirkkonummi in the east, Lohja and the towns west of
 * it in the west), and to the default units for everyone else.
 */
const UNITS: { code: string; name: LocalizedText; address: string; email: string; municipalities?: string[] }[] = [
  {
    code: 'kouluterveys-keskusta',
    name: { fi: 'Keskustan kouluterveydenhuolto', sv: 'Skolhälsovården i centrum', en: 'School health care, city centre' },
    address: 'Koulukatu 1, 00100 Helsinki',
    email: 'kouluterveys@demo.perhe.fi',
  },
  {
    code: 'lastenvalvojat',
    name: { fi: 'Lastenvalvojat', sv: 'Barnatillsyningsmännen', en: 'Child-support officers' },
    address: 'Perhekeskus, Toinen linja 4, 00530 Helsinki',
    email: 'lastenvalvojat@demo.perhe.fi',
  },
  {
    code: 'lastensuojelu-ilmoitukset',
    name: { fi: 'Lastensuojeluilmoitusten vastaanotto', sv: 'Mottagning av barnskyddsanmälningar', en: 'Child welfare notifications' },
    address: 'Perhekeskus, Toinen linja 4, 00530 Helsinki',
    email: 'lastensuojelu@demo.perhe.fi',
  },
  {
    code: 'perheneuvonta',
    name: { fi: 'Perheneuvonta', sv: 'Familjerådgivningen', en: 'Family counselling' },
    address: 'Perhekeskus, Toinen linja 4, 00530 Helsinki',
    email: 'perheneuvonta@demo.perhe.fi',
  },
  {
    code: 'perheneuvonta-lansi',
    name: { fi: 'Perheneuvonta, läntinen palvelualue', sv: 'Familjerådgivningen, västra serviceområdet', en: 'Family counselling, western service area' },
    address: 'Perhekeskus, Asemakatu 3, 08100 Lohja',
    email: 'perheneuvonta.lansi@demo.perhe.fi',
    // Hanko, Inkoo, Karkkila, Lohja, Raasepori, Siuntio, Vihti
    municipalities: ['078', '149', '224', '444', '710', '755', '927'],
  },
  {
    code: 'perheneuvonta-ita',
    name: { fi: 'Perheneuvonta, itäinen palvelualue', sv: 'Familjerådgivningen, östra serviceområdet', en: 'Family counselling, eastern service area' },
    address: 'Perhekeskus, Asematie 2, 02770 Espoo',
    email: 'perheneuvonta.ita@demo.perhe.fi',
    // Espoo, Kauniainen, Kirkkonummi
    municipalities: ['049', '235', '257'],
  },
  {
    code: 'lastensuojelu-lansi-uusimaa',
    name: { fi: 'Länsi-Uudenmaan lastensuojeluilmoitukset', sv: 'Barnskyddsanmälningar i Västra Nyland', en: 'Child welfare notifications, Western Uusimaa' },
    address: 'Asematie 2, 02770 Espoo',
    email: 'lastensuojelu.lansi-uusimaa@demo.perhe.fi',
    // The whole wellbeing services county: one channel for its notifications.
    municipalities: ['LU'],
  },
];

/** Demo accounts: `units` keep a calendar there, `handlerUnits` handle that unit's inbox. */
export const DEMO_ACCOUNTS: { email: string; name: string; roles: Role[]; languages: Lang[]; units: string[]; handlerUnits: string[]; title: LocalizedText }[] = [
  { email: 'admin@demo.perhe.fi', name: 'Ada Ylläpito', roles: ['admin'], languages: ['fi', 'sv', 'en'], units: [], handlerUnits: [], title: { fi: 'Pääkäyttäjä', sv: 'Huvudanvändare', en: 'Administrator' } },
  { email: 'hoitaja.aalto@demo.perhe.fi', name: 'Anna Aalto', roles: ['staff'], languages: ['fi', 'en'], units: ['kouluterveys-keskusta'], handlerUnits: [], title: { fi: 'Kouluterveydenhoitaja', sv: 'Skolhälsovårdare', en: 'School nurse' } },
  { email: 'hoitaja.berg@demo.perhe.fi', name: 'Britt Berg', roles: ['staff'], languages: ['sv', 'fi'], units: ['kouluterveys-keskusta'], handlerUnits: [], title: { fi: 'Kouluterveydenhoitaja', sv: 'Skolhälsovårdare', en: 'School nurse' } },
  { email: 'lastenvalvoja.koski@demo.perhe.fi', name: 'Kari Koski', roles: ['staff'], languages: ['fi', 'en'], units: ['lastenvalvojat'], handlerUnits: [], title: { fi: 'Lastenvalvoja', sv: 'Barnatillsyningsman', en: 'Child-support officer' } },
  {
    email: 'sosiaalityontekija.lahti@demo.perhe.fi', name: 'Laura Lahti', roles: ['staff'], languages: ['fi', 'sv'], units: [], handlerUnits: ['lastensuojelu-ilmoitukset', 'lastensuojelu-lansi-uusimaa'],
    title: { fi: 'Sosiaalityöntekijä, lastensuojeluilmoitukset', sv: 'Socialarbetare, barnskyddsanmälningar', en: 'Social worker, child welfare notifications' },
  },
  {
    email: 'perheneuvoja.niemi@demo.perhe.fi', name: 'Niko Niemi', roles: ['staff'], languages: ['fi', 'en'], units: [], handlerUnits: ['perheneuvonta', 'perheneuvonta-lansi'],
    title: { fi: 'Perheneuvoja, Pyydä apua -pyynnöt', sv: 'Familjerådgivare, förfrågningar via Be om hjälp', en: 'Family counsellor, help requests' },
  },
  {
    email: 'perheneuvoja.ek@demo.perhe.fi', name: 'Eeva Ek', roles: ['staff'], languages: ['sv', 'fi'], units: [], handlerUnits: ['perheneuvonta-ita'],
    title: { fi: 'Perheneuvoja, Pyydä apua -pyynnöt (itä)', sv: 'Familjerådgivare, förfrågningar via Be om hjälp (öst)', en: 'Family counsellor, help requests (east)' },
  },
];

const SERVICES: { code: string; unit: string; name: LocalizedText; description: LocalizedText; durationMinutes: number; bufferMinutes: number; channels: Channel[]; minNoticeMinutes: number; changeDeadlineMinutes: number; preInformationForm?: string }[] = [
  {
    code: 'laaja-terveystarkastus', unit: 'kouluterveys-keskusta', durationMinutes: 45, bufferMinutes: 15, channels: ['in-person'], minNoticeMinutes: 240, changeDeadlineMinutes: 1440,
    preInformationForm: 'esitiedot-kouluterveydenhuolto',
    name: { fi: 'Laaja terveystarkastus', sv: 'Omfattande hälsoundersökning', en: 'Extensive health check' },
    description: {
      fi: 'Koko perheen hyvinvointia käsittelevä terveystarkastus 1., 5. ja 8. luokalla. Huoltaja on mukana.',
      sv: 'Hälsoundersökning i årskurs 1, 5 och 8 där också hela familjens välmående tas upp. Vårdnadshavaren deltar.',
      en: 'A health check in grades 1, 5 and 8 that also covers the whole family\'s wellbeing. A parent or guardian attends.',
    },
  },
  {
    code: 'kouluterveydenhoitajan-vastaanotto', unit: 'kouluterveys-keskusta', durationMinutes: 20, bufferMinutes: 0, channels: ['in-person', 'phone'], minNoticeMinutes: 60, changeDeadlineMinutes: 120,
    name: { fi: 'Kouluterveydenhoitajan vastaanotto', sv: 'Mottagning hos skolhälsovårdaren', en: 'School nurse appointment' },
    description: {
      fi: 'Käynti tai puhelu kouluterveydenhoitajan kanssa.',
      sv: 'Besök eller samtal med skolhälsovårdaren.',
      en: 'A visit to the school nurse, or a phone call.',
    },
  },
  {
    code: 'lastenvalvojan-sopimusneuvottelu', unit: 'lastenvalvojat', durationMinutes: 60, bufferMinutes: 15, channels: ['in-person', 'video'], minNoticeMinutes: 1440, changeDeadlineMinutes: 1440,
    preInformationForm: 'esitiedot-lastenvalvoja',
    name: { fi: 'Lastenvalvojan sopimusneuvottelu', sv: 'Avtalsmöte hos barnatillsyningsmannen', en: 'Agreement meeting with a child-support officer' },
    description: {
      fi: 'Sopimus lapsen huollosta, asumisesta, tapaamisoikeudesta ja elatuksesta.',
      sv: 'Avtal om barnets vårdnad, boende, umgängesrätt och underhåll.',
      en: 'An agreement on the child\'s custody, residence, visiting rights and maintenance.',
    },
  },
];

/** Weekly hours: staff e-mail → [service code, ISO weekdays, start, end]. */
const HOURS: Record<string, [string, number[], string, string][]> = {
  'hoitaja.aalto@demo.perhe.fi': [
    ['laaja-terveystarkastus', [1, 3], '08:00', '11:00'],
    ['kouluterveydenhoitajan-vastaanotto', [2, 4, 5], '08:00', '11:00'],
    ['kouluterveydenhoitajan-vastaanotto', [1, 2, 3, 4, 5], '12:00', '15:00'],
  ],
  'hoitaja.berg@demo.perhe.fi': [
    ['kouluterveydenhoitajan-vastaanotto', [1, 2, 3, 4], '08:30', '11:30'],
    ['laaja-terveystarkastus', [2, 4], '12:30', '15:30'],
  ],
  'lastenvalvoja.koski@demo.perhe.fi': [['lastenvalvojan-sopimusneuvottelu', [1, 2, 3, 4, 5], '09:00', '15:00']],
};

/**
 * Demo units, staff, services, weekly hours and four weeks of published
 * slots. Idempotent: what exists (by code or e-mail) is left as it is.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly staff: StaffService,
    private readonly services: ServicesService,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  /** Seeds only a database that has no units yet. Returns whether it seeded. */
  async seedIfEmpty(): Promise<boolean> {
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM unit`);
    if (count > 0) return false;
    await this.seed();
    return true;
  }

  async seed(): Promise<void> {
    const unitIds = new Map<string, string>();
    for (const u of UNITS) {
      const unit = (await this.units.findByCode(u.code)) ?? (await this.units.create(u));
      unitIds.set(u.code, unit.id);
    }
    const serviceIds = new Map<string, string>();
    for (const s of SERVICES) {
      const [existing] = await this.db.query(`SELECT id FROM service WHERE code = $1`, [s.code]);
      const { unit, ...fields } = s;
      const id = existing?.id ?? (await this.services.create({ ...fields, unitId: unitIds.get(unit)!, horizonDays: 28 })).id;
      serviceIds.set(s.code, id);
    }
    const admin = { staffId: '', roles: ['admin' as Role], unitIds: [], handlerUnitIds: [] };
    const validFrom = helsinkiDateOf(this.clock.now()).toString();
    for (const a of DEMO_ACCOUNTS) {
      const existing = await this.staff.findByEmail(a.email);
      const { units, handlerUnits, ...fields } = a;
      const staff = existing ?? (await this.staff.create({
        ...fields,
        password: DEMO_PASSWORD,
        unitIds: units.map((code) => unitIds.get(code)!),
        handlerUnitIds: handlerUnits.map((code) => unitIds.get(code)!),
      }));
      const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM working_hours WHERE staff_id = $1`, [staff.id]);
      if (count > 0) continue;
      for (const [service, weekdays, startTime, endTime] of HOURS[a.email] ?? []) {
        for (const weekday of weekdays) {
          await this.calendar.addWorkingHours(admin, staff.id, { serviceId: serviceIds.get(service)!, weekday, startTime, endTime, validFrom });
        }
      }
    }
    this.logger.log('demo data seeded');
  }
}
