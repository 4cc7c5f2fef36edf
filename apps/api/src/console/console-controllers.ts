import { ApiControllers } from './api-controllers.js';
import { AuditConsoleController } from './audit/audit.controller.js';
import { AuditPage } from './audit/audit-page.js';
import { DepartmentAuditPage } from './audit/department-audit-page.js';
import { AccessRules } from './departments/access-rules.js';
import { DepartmentPage } from './departments/department-page.js';
import { DepartmentsConsoleController } from './departments/departments.controller.js';
import { FormCommands } from './form-commands.js';
import { OperationsConsoleController } from './operations/operations.controller.js';
import { OperationsPage } from './operations/operations-page.js';
import { LessonsPageController } from './lessons/lessons-page.controller.js';
import { ReportsPageController } from './reports/reports-page.controller.js';
import { OverviewController } from './overview/overview.controller.js';
import { ConsoleSession } from './session/console-session.js';
import { OidcSignIn } from './sign-in/oidc-sign-in.js';
import { SignInController } from './sign-in/sign-in.controller.js';

/** The console's pages, declared beside the API's controllers so they share its providers and guard. */
export const CONSOLE_CONTROLLERS = [
  SignInController,
  OverviewController,
  DepartmentsConsoleController,
  OperationsConsoleController,
  AuditConsoleController,
  LessonsPageController,
  ReportsPageController,
];
export const CONSOLE_PROVIDERS = [
  ApiControllers,
  ConsoleSession,
  OidcSignIn,
  AccessRules,
  DepartmentPage,
  FormCommands,
  OperationsPage,
  AuditPage,
  DepartmentAuditPage,
];
