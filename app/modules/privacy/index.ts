export { exportCustomerData, redactCustomer, redactShop } from "./compliance.server";
