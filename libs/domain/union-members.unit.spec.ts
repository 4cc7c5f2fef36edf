import { isOnboardingEventType, ONBOARDING_COMMAND_TYPES, ONBOARDING_EVENT_TYPES } from './index.js';
import { unionMembers } from './union-members.js';

describe('unionMembers', () => {
  const workstreams = unionMembers<'hr' | 'payroll'>({ hr: true, payroll: true });

  it('lists the members in the order they are written', () => {
    expect(workstreams.all).toEqual(['hr', 'payroll']);
  });

  it('knows its members, and nothing an object inherits', () => {
    expect(['hr', 'payroll', 'finance', 'toString', '__proto__', 'constructor', 7, null].filter(workstreams.has)).toEqual(['hr', 'payroll']);
  });

  it('gives the list nobody can change', () => {
    expect(() => (workstreams.all as string[]).push('finance')).toThrow(TypeError);
  });
});

describe('the onboarding unions', () => {
  it('know every event type and command type by name', () => {
    expect(ONBOARDING_EVENT_TYPES.every(isOnboardingEventType)).toBe(true);
    expect(ONBOARDING_EVENT_TYPES).toContain('OnboardingReplanned');
    expect(ONBOARDING_COMMAND_TYPES).toContain('EscalateOverdue');
    expect(isOnboardingEventType('ReplanOnboarding')).toBe(false);
  });
});
