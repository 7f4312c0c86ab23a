import type { ApiError, ErrorCode } from './envelope.js';

/** Thrown by db/ and core/ for an expected refusal; every host turns it into `{ok:false, error}`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Omit<ApiError, 'code' | 'message'> = {},
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  toApiError(): ApiError {
    return { code: this.code, message: this.message, ...this.extra };
  }
}
