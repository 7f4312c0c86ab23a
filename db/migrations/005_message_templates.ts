// Message and letter templates (短信 / 催收函), seeded with the defaults in shared/.
import { DEFAULT_TEMPLATES } from '../../shared/domain/casework/templates.js';

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const up = `
CREATE TABLE message_templates (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL CHECK (kind IN ('sms', 'letter')),
  audience TEXT NOT NULL CHECK (audience IN ('borrower', 'third_party')),
  language TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
${DEFAULT_TEMPLATES.map(
  (t) => `INSERT INTO message_templates (name, kind, audience, language, body, updated_at) VALUES (${q(t.name)}, ${q(t.kind)}, ${q(t.audience)}, ${q(t.language)}, ${q(t.body)}, strftime('%Y-%m-%dT%H:%M:%fZ'));`,
).join('\n')}
`;
