import type { ApiError, ErrorCode } from './envelope.js';
import { messageText, recogniseMessage, type MessageKey, type MessageParams } from './messages.js';

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

  /** A refusal with a stable message key (shared/contract/messages.ts): the UI shows it in its language. */
  static keyed(code: ErrorCode, key: MessageKey, params: MessageParams = {}, extra: Omit<ApiError, 'code' | 'message' | 'key' | 'params'> = {}): ApiFailure {
    return new ApiFailure(code, messageText(key, params), { ...extra, key, params });
  }

  /** A message written out in the table's words gets its key too, wherever it was thrown. */
  toApiError(): ApiError {
    const keyed = this.extra.key ? null : recogniseMessage(this.message);
    return { code: this.code, message: this.message, ...this.extra, ...(keyed ?? {}) };
  }
}
