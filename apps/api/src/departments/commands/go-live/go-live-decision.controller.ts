import { Body, Param } from '@nestjs/common';
import { GO_LIVE_DECISION_VALUES, GO_LIVE_ROLES, type GoLiveRole } from '../../../../../../libs/domain/index.js';
import { CurrentPrincipal } from '../../../auth/access.decorator.js';
import { CommandCall } from '../../../common/command-context.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import type { Principal, Role } from '../../../auth/roles.js';
import { ApiError } from '../../../common/api-error.js';
import { OneOf, Text } from '../../../common/text.js';
import { CommandService } from '../../command.service.js';
import { CommandController, CommandRoute } from '../../../common/command-route.js';

export class GoLiveDecisionDto {
  @OneOf(GO_LIVE_ROLES, 'Whose decision this is')
  readonly as!: GoLiveRole;

  @OneOf(GO_LIVE_DECISION_VALUES)
  readonly decision!: 'go' | 'no-go';

  @Text('Why')
  readonly reason!: string;
}

/** Each go-live voice belongs to one role: the department's SRO speaks through its lead. */
const VOICE_OF: Record<GoLiveRole, Role> = { 'department-sro': 'lead', centre: 'centre', programme: 'programme' };

/** Whether these roles may speak as this go-live voice (the console offers only those). */
export function maySpeakAs(roles: readonly Role[], voice: GoLiveRole): boolean {
  return roles.includes('admin') || roles.includes(VOICE_OF[voice]);
}

@CommandController('api/departments/:code/go-live/decisions', 'onboarding')
export class GoLiveDecisionController {
  constructor(private readonly commands: CommandService) {}

  @CommandRoute('Record a go / no-go decision; the latest decision of each role counts', ['lead', 'centre', 'programme'], { departmentScoped: true })
  decide(@Param('code') code: string, @Body() dto: GoLiveDecisionDto, @CurrentPrincipal() principal: Principal, @CommandCall() context: CommandContext) {
    const roles = principal.roles;
    if (!maySpeakAs(roles, dto.as)) {
      throw new ApiError(403, 'forbidden-role', `only the ${VOICE_OF[dto.as]} role may decide as ${dto.as}`);
    }
    if (VOICE_OF[dto.as] === 'lead' || VOICE_OF[dto.as] === 'centre') {
      const scoped = principal.departments;
      if (!roles.includes('admin') && !scoped.includes(code.toUpperCase())) {
        throw new ApiError(403, 'out-of-scope', `your token does not cover department ${code.toUpperCase()}`);
      }
    }
    return this.commands.execute(
      code,
      { type: 'RecordGoLiveDecision', as: dto.as, decision: dto.decision, reason: dto.reason, by: context.actor.sub },
      context,
    );
  }
}
