export { type Assignee, pickAssignee } from "./assignment.server";
export { addBusinessMinutes, type Availability, availabilityAt, type BusinessHours, parseBusinessHours } from "./business-hours";
export {
  type HandoffSignals,
  type RouteHandoffResult,
  routeHandoff,
  startWaiting,
  stopWaiting,
  type WaitingState,
} from "./handoff.server";
export { computePriority, higherPriority, isVip, PRIORITIES, type Priority, type PrioritySignals, priorityRank } from "./priority";
export {
  decideEscalation,
  ESCALATION_REASONS,
  type EscalationDecision,
  type EscalationReason,
  type EscalationRules,
  type EscalationSignals,
  exceedsOrderValueThreshold,
  parseEscalationRules,
} from "./rules";
export {
  ASSIGNMENT_STRATEGIES,
  type AssignmentStrategy,
  DEFAULT_SLA_POLICY,
  parseRoutingSettings,
  parseSlaPolicy,
  type RoutingSettings,
  type SlaPolicy,
  type SlaTarget,
} from "./settings";
export { compareInboxRows, type InboxOrderFields, SLA_KINDS, type SlaKind, type SlaState, slaState } from "./sla";
