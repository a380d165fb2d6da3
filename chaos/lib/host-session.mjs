// The host's own admin session cookie in the privacy-tab target (chaos/lib/inproc-target.mjs).

/** The cookie that the target host's `authorize` accepts as its signed-in admin. */
export const HOST_SESSION = 'host_session=admin-7f3c';
