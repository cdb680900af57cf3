import { Injectable } from '@nestjs/common';

/**
 * The one source of "now" for domain code. Services never call `new Date()`;
 * tests replace this with a {@link TestClock} and move time instead of waiting.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until a test sets or advances it. */
export class TestClock extends Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T08:00:00+02:00') {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = new Date(instant).getTime();
  }

  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }
}
