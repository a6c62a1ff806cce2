import { Controller, Get } from '@nestjs/common';
import { CurrentUser, Public, type AccessTokenClaims } from '../lib/index.js';

@Controller()
export class AppController {
  /** Open to anyone: `@Public()` lifts the global guard. */
  @Public()
  @Get('public')
  public() {
    return { ok: true };
  }

  /** Needs a valid access token; answers with its verified claims. */
  @Get('me')
  me(@CurrentUser() claims: AccessTokenClaims) {
    return claims;
  }
}
