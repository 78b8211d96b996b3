/**
 * Errors as data. Every fallible operation that a user can cause (bad input,
 * a failed step, a taken port) returns a Result instead of throwing, so the
 * CLI layer decides how to print it and which exit code it means.
 * Thrown exceptions are reserved for programming errors.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });
