import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/access.decorator.js';

/** `npm run build` copies the assets next to the compiled controller. */
function asset(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./assets/${name}`, import.meta.url)), 'utf8');
}

/** A read-only dashboard at `/`: it holds no data, it calls the API with the user's token. */
@ApiExcludeController()
@Controller()
export class DashboardController {
  private readonly files = {
    html: asset('index.html'),
    js: asset('dashboard.js'),
    css: asset('dashboard.css'),
  };

  @Get()
  @Public()
  @Header('content-type', 'text/html; charset=utf-8')
  index(): string {
    return this.files.html;
  }

  @Get('dashboard.js')
  @Public()
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return this.files.js;
  }

  @Get('dashboard.css')
  @Public()
  @Header('content-type', 'text/css; charset=utf-8')
  styles(): string {
    return this.files.css;
  }
}
