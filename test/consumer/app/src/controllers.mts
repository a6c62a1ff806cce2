import { Controller, Get, UseGuards } from '@nestjs/common';
import { CurrentUser, JwtAuthGuard, Public, type AccessTokenClaims } from 'nestjs-oidc-bearer';

/** Protected by the global guard, except `/health`. */
@Controller()
export class ProfileController {
  @Public()
  @Get('health')
  health(): { ok: true } {
    return { ok: true };
  }

  @Get('me')
  me(@CurrentUser() claims: AccessTokenClaims, @CurrentUser('sub') sub: string): { sub: string; claims: AccessTokenClaims } {
    return { sub, claims };
  }
}

/** Protected on its own, for apps that turn the global guard off. */
@UseGuards(JwtAuthGuard)
@Controller('guarded')
export class GuardedController {
  @Get()
  read(@CurrentUser('sub') sub: string): { sub: string } {
    return { sub };
  }
}

/** No guard at all when the global guard is off. */
@Controller('open')
export class OpenController {
  @Get()
  read(): { open: true } {
    return { open: true };
  }
}
