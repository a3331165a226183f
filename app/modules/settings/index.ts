/** The merchant's Settings page: the shop's assistant, policy, escalation, hours, retention and model settings. */
export {
  APPROVAL_ACTIONS,
  type ApprovalAction,
  type DayHoursForm,
  type FieldErrors,
  type SettingsForm,
  type SettingsValues,
  WEEKDAYS,
  type Weekday,
} from "./schema";
export {
  loadSettingsPage,
  type ModelOptions,
  modelOptionsFromEnv,
  type SaveSettingsResult,
  saveShopSettings,
  SETTINGS_EDITOR_ROLES,
  type SettingChange,
  type SettingsEditor,
  type SettingsPage,
} from "./settings.server";
