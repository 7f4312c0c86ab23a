# The agencydesk-memtemp SQLite extension (memtemp.c): plain C against SQLite's extension API, no Node API,
# so the same file loads in Node and in Electron. Built by scripts/build-memtemp.mjs (part of `npm run build`).
{
  'targets': [
    {
      'target_name': 'agencydesk_memtemp',
      'type': 'loadable_module',
      'product_extension': 'node',
      'win_delay_load_hook': 'false',
      'sources': ['memtemp.c'],
      'include_dirs': ['../../node_modules/better-sqlite3-multiple-ciphers/deps/sqlite3'],
      'cflags': ['-O2', '-Wall', '-Wextra'],
      'xcode_settings': { 'OTHER_CFLAGS': ['-O2', '-Wall', '-Wextra'] },
    },
  ],
}
