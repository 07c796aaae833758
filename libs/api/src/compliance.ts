import { Global, Injectable, Module } from '@nestjs/common';

/**
 * A place where the law was not followed, found in what was recorded (DOMAIN.md: reality wins, the system flags
 * it). `meetingId` names the meeting it is about or was found at, `subjectId` the thing that broke the rule when
 * that is not a meeting (a delegated decision, a budget, the body).
 */
export interface ComplianceFinding {
  rule: string;
  message: string;
  expected: string | null;
  actual: string | null;
  meetingId: string | null;
  subjectId: string | null;
}

/** Business dates, inclusive; either end may be open. */
export interface FindingPeriod {
  from?: string;
  to?: string;
}

/** One register's findings for a body within a period, read from its read models. */
export type FindingSource = (bodyId: string, period: FindingPeriod) => ComplianceFinding[];

/**
 * Every register's findings behind the one `complianceFindings` query: each context registers its source when
 * its module starts, so the query does not need to know the registers.
 */
@Injectable()
export class ComplianceFindings {
  private readonly sources: FindingSource[] = [];

  register(source: FindingSource): void {
    this.sources.push(source);
  }

  of(bodyId: string, period: FindingPeriod = {}): ComplianceFinding[] {
    return this.sources.flatMap((source) => source(bodyId, period));
  }
}

/** Makes the one ComplianceFindings registry available to every module. */
@Global()
@Module({ providers: [ComplianceFindings], exports: [ComplianceFindings] })
export class ComplianceModule {}
