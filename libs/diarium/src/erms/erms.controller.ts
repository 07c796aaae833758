import { BadRequestException, Controller, ForbiddenException, Get, Headers, NotFoundException, Query, Res, UnauthorizedException } from '@nestjs/common';
import { bearerTokenOf, Clock } from '@kansli/api';
import { BodiesReader } from '@kansli/bodies';
import { InvalidToken, TokenVerifier, type Principal } from '@kansli/auth';
import { DelegationReader } from '@kansli/delegation';
import { DomainError } from '@kansli/kernel';
import { MeetingsReader } from '@kansli/meetings';
import { DiariumReader } from '../diarium.reader';
import { ermsExport } from './erms-export';

/** Who may take the archive export (API.md: DIARIUM; the auditors read everything). */
const EXPORTERS = ['DIARIUM', 'REVISOR'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the response needs: its headers (the platform's response, without a dependency on its types). */
interface HeaderTarget {
  setHeader(name: string, value: string): void;
}

/**
 * `GET /export/erms?body=<id>&year=<YYYY>` with `Authorization: Bearer <token>` (DIARIUM or REVISOR): the body's
 * year as CITS ERMS XML, as `export-erms` writes it. 401 without a valid token, 403 for other roles, 400 for a
 * missing or malformed body or year, 404 for a body that does not exist.
 */
@Controller('export')
export class ErmsController {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly clock: Clock,
    private readonly bodies: BodiesReader,
    private readonly meetings: MeetingsReader,
    private readonly delegation: DelegationReader,
    private readonly diarium: DiariumReader,
  ) {}

  @Get('erms')
  async erms(
    @Headers('authorization') authorization: string | undefined,
    @Query('body') body: unknown,
    @Query('year') year: unknown,
    @Res({ passthrough: true }) response: HeaderTarget,
  ): Promise<string> {
    const principal = await this.authenticate(authorization, response);
    if (!principal.roles.some((role) => EXPORTERS.includes(role))) throw new ForbiddenException('The archive export is for the DIARIUM and REVISOR roles');
    if (typeof body !== 'string' || !UUID.test(body)) throw new BadRequestException('body must be the id of a body');
    if (typeof year !== 'string' || !/^\d{4}$/.test(year)) throw new BadRequestException('year must be a year YYYY');
    try {
      const { xml } = ermsExport({ bodies: this.bodies, meetings: this.meetings, delegation: this.delegation, diarium: this.diarium }, body, Number(year), this.clock.now().toISOString());
      response.setHeader('content-type', 'application/xml; charset=utf-8');
      response.setHeader('content-disposition', `attachment; filename="erms-${body}-${year}.xml"`);
      return xml;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw new NotFoundException(error.message);
      if (error instanceof DomainError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  private async authenticate(authorization: string | undefined, response: HeaderTarget): Promise<Principal> {
    const token = bearerTokenOf({ headers: { authorization } });
    try {
      if (!token) throw new InvalidToken('no bearer token');
      return await this.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error;
      response.setHeader('www-authenticate', 'Bearer');
      throw new UnauthorizedException('Sign in: the archive export needs a valid access token (DIARIUM or REVISOR)');
    }
  }
}
