/** The time source of command handlers (deciders and projections never read a clock). A DI token. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
