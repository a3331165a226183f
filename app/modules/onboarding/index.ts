/** The dashboard's first-run checklist: what a new shop sets up, read from its data or marked done by staff. */
export {
  getOnboardingChecklist,
  MARKABLE_STEPS,
  type MarkableStep,
  markOnboardingStep,
  ONBOARDING_STEPS,
  type OnboardingChecklist,
  type OnboardingItem,
  type OnboardingStep,
} from "./checklist.server";
