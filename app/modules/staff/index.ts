/** Staff identity: the Shopify staff member behind an admin session, and the shop's team for assignment. */
export { getStaffMember, listStaff, type StaffProfile, type StaffSummary, setStaffAvailability } from "./directory.server";
export { StaffError } from "./errors";
export { placeholderStaffEmail, placeholderStaffName, type StaffSession, upsertStaffFromSession } from "./identity.server";
