import { Injectable, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';

/**
 * The console reaches the product only through the API's own controllers: the same
 * validation, the same command service, the same read models and reports. This finds the
 * instances Nest built for the API, wherever they were declared.
 */
@Injectable()
export class ApiControllers {
  private readonly found = new Map<Type, unknown>();

  constructor(private readonly modules: ModuleRef) {}

  get<T>(controller: Type<T>): T {
    const known = this.found.get(controller) as T | undefined;
    if (known) return known;
    const instance = this.modules.get(controller, { strict: false });
    this.found.set(controller, instance);
    return instance;
  }
}
