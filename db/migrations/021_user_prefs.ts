// Per-user display preferences (a grid's column widths, hidden columns, density), kept in the store so
// they follow the user to any desk, browser or team-server client. One JSON value per (user, key); the
// contract validates and caps it, so this is plain storage. Not audited: it changes nothing anyone else sees.
export const up = `
CREATE TABLE user_prefs (
  user_id INTEGER NOT NULL REFERENCES users(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
`;
