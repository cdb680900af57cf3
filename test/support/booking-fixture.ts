import { type TestApp, createAccount, login } from './test-app';

/** Builds units, staff, services and hours over the admin API, as an administrator would. */
export class BookingFixture {
  private session = { header: '', at: 0 };

  private constructor(readonly t: TestApp) {}

  static async create(t: TestApp): Promise<BookingFixture> {
    await createAccount(t, 'admin@test.fi', ['admin']);
    return new BookingFixture(t);
  }

  /** The admin's bearer header; logs in again when the test clock has moved far since the last login. */
  async admin(): Promise<string> {
    const now = this.t.clock.now().getTime();
    if (!this.session.header || Math.abs(now - this.session.at) > 3_600_000) {
      this.session = { header: await login(this.t, 'admin@test.fi'), at: now };
    }
    return this.session.header;
  }

  async unit(code: string): Promise<string> {
    const res = await this.t.http
      .post('/api/v1/units')
      .set('Authorization', await this.admin())
      .send({ code, name: { fi: `Yksikkö ${code}`, sv: `Enhet ${code}`, en: `Unit ${code}` }, address: 'Koulukatu 1, Helsinki' })
      .expect(201);
    return res.body.id;
  }

  /** A staff member with a calendar in `unitIds` who handles the inboxes of `handlerUnitIds`. */
  async staff(email: string, unitIds: string[], languages = ['fi'], handlerUnitIds: string[] = []): Promise<string> {
    const res = await this.t.http
      .post('/api/v1/staff')
      .set('Authorization', await this.admin())
      .send({ email, name: personName('Hoitaja', email.split('@')[0]), password: 'correct-horse-battery', roles: ['staff'], languages, unitIds, handlerUnitIds })
      .expect(201);
    return res.body.id;
  }

  async service(unitId: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await this.t.http
      .post('/api/v1/services')
      .set('Authorization', await this.admin())
      .send({
        code: `palvelu-${Math.random().toString(36).slice(2, 8)}`,
        unitId,
        name: { fi: 'Kouluterveydenhoitajan vastaanotto', sv: 'Mottagning hos skolhälsovårdaren', en: 'School nurse appointment' },
        durationMinutes: 20,
        channels: ['in-person', 'phone'],
        minNoticeMinutes: 120,
        horizonDays: 28,
        changeDeadlineMinutes: 1440,
        ...overrides,
      })
      .expect(201);
    return res.body.id;
  }

  /** Weekly hours on the given ISO weekdays; returns the last response body (with conflicts). */
  async hours(staffId: string, serviceId: string, weekdays: number[], startTime: string, endTime: string, validFrom = '2026-01-01') {
    let body: { conflicts: unknown[] } = { conflicts: [] };
    for (const weekday of weekdays) {
      const res = await this.t.http
        .post(`/api/v1/staff/${staffId}/working-hours`)
        .set('Authorization', await this.admin())
        .send({ serviceId, weekday, startTime, endTime, validFrom })
        .expect(201);
      body = res.body;
    }
    return body;
  }

  async slots(serviceId: string, from: string, to: string, query: Record<string, string> = {}) {
    const res = await this.t.http.get(`/api/v1/services/${serviceId}/slots`).query({ from, to, ...query }).expect(200);
    return res.body.items as { id: string; startsAt: string; endsAt: string; available: number; staff: { id: string } }[];
  }

  book(slotId: string, overrides: Record<string, unknown> = {}) {
    return this.t.http.post('/api/v1/appointments').send({
      slotId,
      language: 'fi',
      contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' },
      childName: 'Matti',
      ...overrides,
    });
  }
}

export const WEEKDAYS = [1, 2, 3, 4, 5];

/** A name that passes the name rule (letters only), made from any text such as `hoitaja-x1y2` or a number. */
export function personName(first: string, from: string | number): string {
  const letters = String(from)
    .replace(/\d/g, (d) => 'abcdefghij'[Number(d)])
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();
  return `${first} ${letters.charAt(0).toUpperCase()}${letters.slice(1)}`.trim();
}
