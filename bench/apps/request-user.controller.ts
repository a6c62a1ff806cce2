import { Controller, Get, Req } from '@nestjs/common';

interface RequestWithUser {
  user?: { sub?: string };
}

/** `GET /me` for the apps whose guard leaves the verified payload on `req.user` (passport, jose, minimal). */
@Controller()
export class RequestUserController {
  @Get('me')
  me(@Req() request: RequestWithUser) {
    return { sub: request.user?.sub };
  }
}
