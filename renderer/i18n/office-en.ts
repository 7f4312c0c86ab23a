// English text of "Connect to an office server" (merged into en.ts; office-zh-CN.ts has the same keys).
export const officeEn = {
  office: {
    connect: 'Connect to an office server…',
    connectedTo: 'Office server: {{url}}',
    useLocal: 'Use this computer’s own store instead',
    title: 'Connect to an office server',
    help: 'Type the address your administrator gave you. AgencyDesk shows the server’s certificate fingerprint: compare it, character by character, with the one the administrator gave you.',
    address: 'Server address',
    check: 'Show fingerprint',
    fingerprint: 'The server’s certificate fingerprint (SHA-256)',
    compare: 'Connect only if this is exactly the fingerprint your administrator gave you. If it differs, someone may be in between: do not connect.',
    confirm: 'The fingerprints match: connect',
    cancel: 'Cancel',
    restarting: 'Connecting: AgencyDesk restarts on the office server.',
    localConfirm: 'Work on this computer’s own store? AgencyDesk restarts.',
  },
};
