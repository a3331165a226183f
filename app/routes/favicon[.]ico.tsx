import { redirect } from "@remix-run/node";

// Browsers ask for /favicon.ico on pages that name no icon.
export const loader = () => redirect("/favicon.svg", 301);
