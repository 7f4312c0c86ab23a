// English text of the backend's keyed messages: the backend's own table (shared/contract/messages.ts), so
// the two cannot drift. messages-zh-CN.ts must have the same keys (checked by its type and a unit test).
import { MESSAGES } from '../../shared/contract/messages.js';

export const messagesEn = { apiMessages: { ...MESSAGES } };
