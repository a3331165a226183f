export { type Availability, availabilityAt, type BusinessHours, parseBusinessHours } from "./business-hours";
export {
  decideEscalation,
  type EscalationDecision,
  type EscalationReason,
  type EscalationRules,
  type EscalationSignals,
  exceedsOrderValueThreshold,
  parseEscalationRules,
} from "./rules";
