/** A staff request the app refuses, with the HTTP status a route answers and the field at fault. */
export class StaffError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404,
    readonly field?: string,
  ) {
    super(message);
    this.name = "StaffError";
  }
}
