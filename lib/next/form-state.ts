/** What a server action returns to its form: the outcome, field errors, and what was typed. */
export interface FormState {
  ok?: boolean;
  /** HTTP-like status of a refusal: 401, 403, 404, 409, 422, 500. */
  status?: number;
  message?: string;
  errors?: Record<string, string>;
  /** The submitted values, so the form keeps what was typed (never passwords or secrets). */
  values?: Record<string, string>;
  /** A value to show once (a new API token, an invitation link). */
  reveal?: string;
}

export const initialFormState: FormState = {};
