import { CandorPrivacyTab } from './candor-privacy-tab.js';

// Defining twice throws; a host that bundles the element itself may already have defined it.
if (!customElements.get('candor-privacy-tab')) customElements.define('candor-privacy-tab', CandorPrivacyTab);

export { CandorPrivacyTab };
